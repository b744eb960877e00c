import BlackboardTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL during registration churn, then a restart on the same data
/// directory: every acknowledged change is there, the one in flight is either
/// wholly there or wholly absent, and publishers are pushed the right profile.
@Suite struct CrashTests {
    /// The registrations the churn has had acknowledged, by URI.
    struct Expected: Equatable {
        var subscribers: [String: Set<String>] = [:]
        var publishers: Set<String> = []

        var union: Set<String> { subscribers.values.reduce(into: []) { $0.formUnion($1) } }
    }

    /// One churn step: what it sends after HELLO, and its effect once acknowledged.
    struct Step {
        let uri: String
        let frames: String
        let verb: String
        let apply: (inout Expected) -> Void
    }

    static let lease = 600

    /// A count shared by the churn and the killer thread.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// A random step over 400 concepts, 60 subscribers and 10 publishers.
    static func step(_ expected: Expected, _ rng: inout SplitMix64) -> Step {
        func entries(_ count: Int) -> [String] {
            (0..<count).map { _ in
                Int.random(in: 0..<10, using: &rng) == 0 ? "tree\(Int.random(in: 0..<8, using: &rng)).>"
                    : "c:\(Int.random(in: 0..<400, using: &rng))"
            }
        }
        let known = expected.subscribers.keys.sorted()
        let roll = Int.random(in: 0..<100, using: &rng)
        if roll < 10 {
            let uri = "urn:crash:pub:\(Int.random(in: 0..<10, using: &rng))"
            return Step(uri: uri, frames: "REG\r\n", verb: "REG") { $0.publishers.insert(uri) }
        }
        if roll < 30, let uri = known.randomElement(using: &rng) {
            let more = entries(Int.random(in: 1...5, using: &rng))
            return Step(uri: uri, frames: profileFrame("ADD", more), verb: "ADD") { $0.subscribers[uri]?.formUnion(more) }
        }
        if roll < 40, let uri = known.randomElement(using: &rng), let profile = expected.subscribers[uri] {
            let fewer = Array(profile.sorted().prefix(3))
            return Step(uri: uri, frames: profileFrame("DEL", fewer), verb: "DEL") { $0.subscribers[uri]?.subtract(fewer) }
        }
        if roll < 45, let uri = known.randomElement(using: &rng) {
            return Step(uri: uri, frames: "UNSUB\r\n", verb: "UNSUB") { $0.subscribers[uri] = nil }
        }
        let uri = "urn:crash:sub:\(Int.random(in: 0..<60, using: &rng))"
        let profile = entries(Int.random(in: 1...12, using: &rng))
        return Step(uri: uri, frames: profileFrame("SUB", profile), verb: "SUB") { $0.subscribers[uri] = Set(profile) }
    }

    /// Runs steps until the daemon dies; returns what was acknowledged and the step in flight.
    static func churn(port: UInt16, seed: UInt64, acknowledged: Counter) -> (Expected, Step?) {
        var rng = SplitMix64(seed: seed)
        var expected = Expected()
        while true {
            let step = step(expected, &rng)
            do {
                let client = try RawClient(port: port)
                try client.send("HELLO \(step.uri) lease=\(lease)\r\n" + step.frames)
                // A resumed publisher is pushed PROFILE between the two replies.
                let hello = try client.readReply()
                let reply = try client.readReply { $0.isOK(step.verb) || $0.errorCode != nil }
                guard hello.isOK("HELLO"), reply.isOK(step.verb) else {
                    throw TestFailure("\(step.verb) refused: \(hello), \(reply)")
                }
            } catch {
                return (expected, step)
            }
            step.apply(&expected)
            acknowledged.value.add(1, ordering: .sequentiallyConsistent)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3]) func acknowledgedRegistrationsSurviveSIGKILL(seed: UInt64) throws {
        let directory = TemporaryPath()
        // Seed 3 compacts every 4 KiB of journal, so the kill can land between or inside snapshots.
        let config = TemporaryPath("blackboard-crash-conf")
        try "[storage]\nsnapshot_threshold_bytes = \(seed == 3 ? 4_096 : 67_108_864)\n"
            .write(toFile: config.path, atomically: true, encoding: .utf8)
        let arguments = ["--config", config.path, "--data-dir", directory.path]
        let daemon = try Daemon.start(arguments)
        var rng = SplitMix64(seed: seed &* 7919)
        let killAfter = Int.random(in: 150...350, using: &rng)
        let acknowledged = Counter()
        let churnEnded = Counter()
        let killer = Thread {
            // Also when the churn stops early (a failure): the daemon must never outlive the test.
            while acknowledged.value.load(ordering: .sequentiallyConsistent) < killAfter,
                  churnEnded.value.load(ordering: .sequentiallyConsistent) == 0 { usleep(200) }
            daemon.kill()
        }
        killer.start()
        let (expected, inFlight) = Self.churn(port: daemon.port, seed: seed, acknowledged: acknowledged)
        churnEnded.value.store(1, ordering: .sequentiallyConsistent)
        try waitUntil("the daemon to be killed") { !daemon.process.isRunning }
        #expect(acknowledged.value.load(ordering: .sequentiallyConsistent) >= killAfter)

        var alternatives = [expected]
        if let inFlight {
            var applied = expected
            inFlight.apply(&applied)
            alternatives.append(applied)
        }
        let restarted = try Daemon.start(arguments)
        if seed == 3 { #expect(restarted.log.contains("snapshot_generation=") && !restarted.log.contains("snapshot_generation=none")) }
        let stats = try AdminHTTP.stats(restarted.adminPort)
        let counts = (stats["subscribers"], stats["publishers"])
        #expect(alternatives.contains { counts == (Int64($0.subscribers.count), Int64($0.publishers.count)) },
                "stats \(counts) fit neither the acknowledged state nor it plus the step in flight")
        #expect(stats["subscribers_connected"] == 0 && stats["publishers_connected"] == 0)

        // The listings: every registration away, each profile of the size acknowledged.
        let rows = try AdminHTTP.walk(restarted.adminPort, "/subscribers", rowsKey: "subscribers", limit: 25).rows
        var sizes: [String: Int] = [:]
        for case let row as [String: Any] in rows {
            #expect(row["state"] as? String == "away")
            if let uri = row["uri"] as? String { sizes[uri] = row["profile_entries"] as? Int }
        }
        #expect(alternatives.contains { $0.subscribers.mapValues(\.count) == sizes }, "listed profile sizes fit no expected state")
        let publisherRows = try AdminHTTP.walk(restarted.adminPort, "/publishers", rowsKey: "publishers", limit: 25).rows
        let listedPublishers = Set(publisherRows.compactMap { ($0 as? [String: Any])?["uri"] as? String })
        #expect(alternatives.contains { $0.publishers == listedPublishers })

        // A new publisher is pushed the union of the surviving profiles.
        let watcher = try RawClient.hello(restarted.port, "urn:crash:watcher")
        try watcher.send("REG\r\n")
        #expect(try watcher.readReply().isOK("REG"))
        guard case let .profile(_, entries) = try watcher.readReply() else { throw TestFailure("no PROFILE") }
        let union = Set(entries.map(\.description))
        let state = try #require(alternatives.first { $0.union == union }, "pushed profile fits no expected state")

        // Every acknowledged registration resumes; none other does.
        for index in 0..<60 {
            let uri = "urn:crash:sub:\(index)"
            let reply = try RawClient(port: restarted.port)
            try reply.send("HELLO \(uri) lease=\(Self.lease)\r\n")
            guard case let .ok(_, arguments) = try reply.readReply() else { throw TestFailure("HELLO refused") }
            #expect(arguments.contains("resumed=sub") == (state.subscribers[uri] != nil), "\(uri)")
        }
        for index in 0..<10 {
            let uri = "urn:crash:pub:\(index)"
            let reply = try RawClient(port: restarted.port)
            try reply.send("HELLO \(uri) lease=\(Self.lease)\r\n")
            guard case let .ok(_, arguments) = try reply.readReply() else { throw TestFailure("HELLO refused") }
            #expect(arguments.contains("resumed=pub") == state.publishers.contains(uri), "\(uri)")
        }
        #expect(try restarted.stop() == 0)
    }
}
