import Foundation
import Testing
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

@Suite struct TrackFileReaderTests {
    func append(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TestFailure("open \(path): \(errno)") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw TestFailure("short write") }
    }

    @Test func followsAFileThatAppearsAndGrows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var reader = TrackFileReader(path: directory.file("track"))
        #expect(try reader.readNewLines() == [])
        try append("{\"user.step\": ", to: reader.path)
        #expect(try reader.readNewLines() == [])
        try append("1}\n{\"user.step\": 2}\n{\"user.st", to: reader.path)
        #expect(try reader.readNewLines() == [.line("{\"user.step\": 1}"), .line("{\"user.step\": 2}")])
        #expect(try reader.readNewLines() == [])
        try append("ep\": 3}\n\n", to: reader.path)
        #expect(try reader.readNewLines() == [.line("{\"user.step\": 3}"), .line("")])
        try append("{\"last\": true}", to: reader.path)
        #expect(try reader.readNewLines() == [])
        #expect(try reader.readNewLines(atEnd: true) == [.line("{\"last\": true}")])
        #expect(try reader.readNewLines(atEnd: true) == [])
    }

    @Test func overlongLinesAreSkipped() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var reader = TrackFileReader(path: directory.file("track"), lineLimit: 8)
        try append("12345678\n123456789", to: reader.path)
        #expect(try reader.readNewLines() == [.line("12345678")])
        try append(String(repeating: "x", count: 100), to: reader.path)
        #expect(try reader.readNewLines() == [])
        try append("\nok\n", to: reader.path)
        #expect(try reader.readNewLines() == [.oversized(byteCount: 109), .line("ok")])
        try append(String(repeating: "y", count: 9), to: reader.path)
        #expect(try reader.readNewLines(atEnd: true) == [.oversized(byteCount: 9)])
    }

    @Test func truncatedFileIsReadFromTheStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var reader = TrackFileReader(path: directory.file("track"))
        try append("one\ntwo\npart", to: reader.path)
        #expect(try reader.readNewLines() == [.line("one"), .line("two")])
        try "new\n".write(toFile: reader.path, atomically: false, encoding: .utf8)
        #expect(try reader.readNewLines() == [.line("new")])
    }

    @Test func unreadableTrackFileThrows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("track"), withIntermediateDirectories: false)
        var reader = TrackFileReader(path: directory.file("track"))
        #expect(throws: EngineSystemError.system(call: "read", path: directory.file("track"), errno: EISDIR)) {
            try reader.readNewLines()
        }
    }

    /// The splitter gives the same lines however its input is cut.
    @Test(arguments: [1, 4, 64])
    func splitterIsIndependentOfFeeding(limit: Int) {
        let input = Array("a\n\nbcd\n0123456789abcdefghijklmnop\nlast".utf8)
        var whole = TrackLineSplitter(limit: limit)
        let expected = whole.append(input) + whole.finish()
        var byteByByte = TrackLineSplitter(limit: limit)
        #expect(input.flatMap { byteByByte.append([$0]) } + byteByByte.finish() == expected)
        for cut in 0...input.count {
            var split = TrackLineSplitter(limit: limit)
            #expect(split.append(input[..<cut]) + split.append(input[cut...]) + split.finish() == expected)
        }
        if limit == 64 {
            #expect(expected == [.line("a"), .line(""), .line("bcd"), .line("0123456789abcdefghijklmnop"), .line("last")])
        }
        if limit == 4 {
            #expect(expected == [.line("a"), .line(""), .line("bcd"), .oversized(byteCount: 26), .line("last")])
        }
    }
}
