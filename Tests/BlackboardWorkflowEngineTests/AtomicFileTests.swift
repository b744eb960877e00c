import Foundation
import Testing
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

@Suite struct AtomicFileTests {
    @Test func writesAndReplaces() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("instance.json")
        try AtomicFile.write(Array("{\"v\":1}".utf8), to: path)
        #expect(directory.read("instance.json") == "{\"v\":1}")
        try AtomicFile.write(Array("{\"v\":2,\"longer\":true}".utf8), to: path)
        #expect(directory.read("instance.json") == "{\"v\":2,\"longer\":true}")
        try AtomicFile.write([], to: path)
        #expect(directory.read("instance.json") == "")
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["instance.json"])
    }

    @Test func failsWithoutTouchingTheTarget() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: EngineSystemError.self) {
            try AtomicFile.write([1, 2, 3], to: directory.file("missing/state.json"))
        }
        // The target is a directory: the rename fails and the temporary file goes.
        try FileManager.default.createDirectory(atPath: directory.file("taken"), withIntermediateDirectories: false)
        #expect(throws: EngineSystemError.self) {
            try AtomicFile.write([1, 2, 3], to: directory.file("taken"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["taken"])
    }

    @Test func splitsPaths() {
        #expect(AtomicFile.split("/a/b/c.json") == ("/a/b", "c.json"))
        #expect(AtomicFile.split("/c.json") == ("/", "c.json"))
        #expect(AtomicFile.split("c.json") == (".", "c.json"))
    }
}
