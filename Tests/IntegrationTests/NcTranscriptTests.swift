import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the `nc` session of docs/PROTOCOL.md, as written there, against the
/// real daemon (only the port differs), and compares what `nc` prints with the
/// output shown in the document.
@Suite struct NcTranscriptTests {
    /// The fenced blocks of the "A session with nc" section, in order.
    private func transcriptBlocks() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
        guard let start = text.range(of: "## A session with nc") else { throw TestFailure("section missing") }
        let section = text[start.upperBound...]
        var blocks: [String] = []
        var current: [Substring]?
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let lines = current { blocks.append(lines.joined(separator: "\n")); current = nil } else { current = [] }
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    /// Starts `command` under `sh`, collecting stdout.
    private final class Shell: @unchecked Sendable {
        // @unchecked Sendable: `process` is configured before run; output is behind a mutex.
        let process = Process()
        let output = SharedText()

        init(_ command: String) throws {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.standardOutput = output.pipe()
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        var lines: [String] {
            // "\r\n" is a single Character in Swift: split on it before "\n".
            output.value.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
        }

        /// Ends the shell and the pipeline it runs (`nc`, and the subshell that feeds it).
        func stop() {
            guard process.isRunning else { return }
            let pkill = Process()
            pkill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
            pkill.arguments = ["-KILL", "-P", String(process.processIdentifier)]
            try? pkill.run()
            waitForExit(pkill)
            // SIGKILL: a child of the test runner may inherit an ignored SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            waitForExit(process)
        }
    }

    @Test func theDocumentedSessionWorksVerbatim() throws {
        let blocks = try transcriptBlocks()
        try #require(blocks.count == 6, "expected 3 commands and 3 outputs, found \(blocks.count) blocks")
        let daemon = try Daemon.start()
        let port = String(daemon.port)
        func command(_ block: String) -> String { block.replacingOccurrences(of: " 7070", with: " \(port)") }
        func expected(_ block: String) -> [String] { block.split(separator: "\n").map(String.init) }

        let subscriber = try Shell(command(blocks[0]))
        defer { subscriber.stop() }
        let subscribed = expected(blocks[1])
        do {
            try waitUntil("the nc subscriber to be subscribed") { subscriber.lines.count >= subscribed.count }
        } catch {
            Issue.record("ran \(command(blocks[0])), have \(subscriber.lines), daemon log: \(daemon.log)")
            throw error
        }
        #expect(subscriber.lines == subscribed)

        // Wait for what nc printed, not for nc's exit: the output is what the docs promise,
        // and a busy machine can be slow to report a child's exit.
        let publisher = try Shell(command(blocks[2]))
        defer { publisher.stop() }
        try waitUntil("the nc publisher's reply") { publisher.lines == ["+OK QUIT"] }
        let delivered = expected(blocks[3])
        try waitUntil("the delivery") { subscriber.lines.count >= subscribed.count + delivered.count }
        let got = Array(subscriber.lines.dropFirst(subscribed.count))
        #expect(got.count == delivered.count)
        // The publisher's generated identity and the broker's clock differ per run.
        #expect(got.first?.wholeMatch(of: /MSG 1 2 urn:blackboard:conn:\d+ \d{13}/) != nil, "got \(got)")
        #expect(delivered.first?.wholeMatch(of: /MSG 1 2 urn:blackboard:conn:\d+ \d{13}/) != nil)
        #expect(Array(got.dropFirst()) == Array(delivered.dropFirst()))

        let registrar = try Shell(command(blocks[4]))
        defer { registrar.stop() }
        let registered = expected(blocks[5])
        try waitUntil("the nc registrar's replies") { registrar.lines.count >= registered.count }
        #expect(registrar.lines == registered)
    }
}
