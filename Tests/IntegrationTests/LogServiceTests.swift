import BlackboardClient
import BlackboardTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `blackboard log` against the real daemon, fed synthetic tracking messages.
@Suite struct LogServiceTests {
    /// The messages of `runs` synthetic runs of a four-activity workflow (23 messages each).
    static func messages(runs: Int, prefix: String = "run") -> [SyntheticMessage] {
        (0..<runs).flatMap { index in
            var run = SyntheticRun(instance: "\(prefix)-\(index)", workflow: "etl", version: "0123456789abcdef")
            return run.complete([.init("extract", duration: 10), .init("a", needs: ["extract"], duration: 20),
                                 .init("b", needs: ["extract"], duration: 30), .init("load", needs: ["a", "b"], duration: 5)],
                                start: 1_763_700_000_000 + Int64(index) * 1000)
        }
    }

    /// Publishes `messages` and waits until the broker processed them (QUIT confirmed).
    /// Returns the pairs sent.
    @discardableResult
    static func publish(_ messages: [SyntheticMessage], port: UInt16) async throws -> Int {
        let publisher = try await Publisher.connect(ClientConfiguration(port: port, name: "synthetic-engine"))
        var sent = 0
        for message in messages {
            sent += try publisher.publish(message.map { Pair($0.concept, $0.value) }).sentPairs
        }
        try await publisher.flush()
        await publisher.close()
        return sent
    }

    /// The lines of FILE, FILE.1 … FILE.K that exist, oldest first.
    static func lines(_ path: String, keep: Int) -> [String] {
        let files = (0...keep).reversed().map { $0 == 0 ? path : "\(path).\($0)" }
        return files.flatMap { file in
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    static func object(_ line: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(line)")
        }
        return object
    }

    @Test func everyDeliveryIsLoggedAcrossRotatedFiles() async throws {
        let daemon = try Daemon.start()
        let directory = TemporaryPath("blackboard-log")
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/events.log"
        let maxBytes = 8192
        let logger = try Tool(["log", "--port", "\(daemon.port)", "--out", path, "--max-bytes", "\(maxBytes)",
                               "--keep", "1000", "--sync"])
        try await waitUntil(timeout: 20, "the logger to be ready") { logger.standardError.contains(#"{"ready":true"#) }

        let messages = Self.messages(runs: 10)
        let sent = try await Self.publish(messages, port: daemon.port)
        #expect(sent == messages.reduce(0) { $0 + $1.count })  // '>' wants every pair
        try await waitUntil(timeout: 30, "\(messages.count) lines") { Self.lines(path, keep: 1000).count >= messages.count }

        let lines = Self.lines(path, keep: 1000)
        #expect(lines.count == messages.count)
        let objects = try lines.map(Self.object)
        #expect(objects.compactMap { $0["seq"] as? Int } == Array(1...messages.count))
        for (object, message) in zip(objects, messages) {
            let pairs = try #require(object["pairs"] as? [[String]])
            #expect(pairs.map { $0[0] } == message.map(\.concept))
            #expect(pairs.map { $0[1] } == message.map(\.value))
            #expect(object["publisher"] is String && object["ts"] is Int && object["received"] is Int)
        }
        let rotated = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("events.log.") }
        #expect(rotated.count >= 3)
        for name in rotated + ["events.log"] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: directory.path + "/" + name)[.size] as? Int)
            #expect(size <= maxBytes && size > 0, "\(name): \(size) bytes")
        }
        logger.send(SIGINT)
        #expect(try logger.finish().status == 0)
    }

    @Test func rotationKeepsOnlyTheNewestFiles() async throws {
        let daemon = try Daemon.start()
        let directory = TemporaryPath("blackboard-log")
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/events.log"
        let logger = try Tool(["log", "--port", "\(daemon.port)", "--out", path, "--max-bytes", "3000", "--keep", "2",
                               "--sync", "wf.>"])
        try await waitUntil(timeout: 20, "the logger to be ready") { logger.standardError.contains(#"{"ready":true"#) }
        let messages = Self.messages(runs: 4)
        let deliveries = messages.filter { $0[0].concept.hasPrefix("wf.") }.count  // not the res.* samples
        try await Self.publish(messages, port: daemon.port)
        try await waitUntil(timeout: 30, "the last delivery") {
            (try? Self.lines(path, keep: 2).last.map(Self.object)?["seq"] as? Int) == deliveries
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["events.log", "events.log.1", "events.log.2"])
        // What is left is the newest deliveries, in order, none split or lost between files.
        let seqs = try Self.lines(path, keep: 2).map { try Self.object($0)["seq"] as? Int ?? 0 }
        #expect(seqs == Array((deliveries - seqs.count + 1)...deliveries))
        #expect(seqs.count < deliveries)
        logger.send(SIGTERM)
        #expect(try logger.finish().status == 0)
    }

    /// With a lease the broker keeps the logger's subscription while it restarts, so the
    /// publisher keeps producing for it; the restarted logger appends to the same file.
    @Test func aLeasedLoggerResumesAfterARestart() async throws {
        let daemon = try Daemon.start()
        let directory = TemporaryPath("blackboard-log")
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/events.log"
        let arguments = ["log", "--port", "\(daemon.port)", "--out", path, "--uri", "urn:test:logger", "--lease", "60",
                         "--sync", "wf.workflow.>"]
        let first = try Tool(arguments)
        try await waitUntil(timeout: 20, "the logger to be ready") { first.standardError.contains(#"{"ready":true"#) }
        let before = Self.messages(runs: 1, prefix: "before")
        let wanted = before.filter { $0[0].concept.hasPrefix("wf.workflow.") }.count
        try await Self.publish(before, port: daemon.port)
        try await waitUntil(timeout: 20, "\(wanted) lines") { Self.lines(path, keep: 0).count == wanted }
        first.send(SIGTERM)
        #expect(try first.finish().status == 0)

        // Away: the lease keeps the profile, so these are still sent (and missed).
        #expect(try await Self.publish(Self.messages(runs: 1, prefix: "away"), port: daemon.port) > 0)

        let second = try Tool(arguments)
        try await waitUntil(timeout: 20, "the logger to be ready again") { second.standardError.contains(#"{"ready":true"#) }
        try await Self.publish(Self.messages(runs: 1, prefix: "after"), port: daemon.port)
        try await waitUntil(timeout: 20, "\(2 * wanted) lines") { Self.lines(path, keep: 0).count == 2 * wanted }
        let instances = try Self.lines(path, keep: 0).map { line -> String in
            let pairs = try #require(try Self.object(line)["pairs"] as? [[String]])
            return try Self.object(pairs[0][1])["instance"] as? String ?? ""
        }
        #expect(Set(instances) == ["before-0", "after-0"])
        second.send(SIGINT)
        #expect(try second.finish().status == 0)
    }
}
