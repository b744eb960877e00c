import BlackboardCore
import BlackboardProtocol
import Foundation
import Testing

/// Leases against the real daemon: registrations outlive their connection by
/// the lease granted at HELLO, come back on a HELLO with the same URI, run
/// out, and survive restarts.
@Suite struct LeaseTests {
    /// Says HELLO and returns the client and the reply's arguments after the URI.
    private func hello(_ port: UInt16, _ uri: String, lease: Int? = nil) throws -> (RawClient, [String]) {
        let client = try RawClient(port: port)
        try client.send("HELLO \(uri)\(lease.map { " lease=\($0)" } ?? "")\r\n")
        let reply = try client.readReply()
        guard case let .ok("HELLO", arguments) = reply else { throw TestFailure("HELLO answered \(reply)") }
        return (client, Array(arguments.dropFirst()))
    }

    /// A publisher with lease 0, registered; returns it and the profile it was pushed.
    private func publisher(_ port: UInt16, _ uri: String = "urn:test:watcher") throws -> (RawClient, Set<String>) {
        let (client, _) = try hello(port, uri)
        try client.send("REG\r\n")
        #expect(try client.readReply().isOK("REG"))
        guard case let .profile(_, entries) = try client.readReply() else { throw TestFailure("no PROFILE after REG") }
        return (client, Set(entries.map(\.description)))
    }

    /// The next DELTA the client is pushed, as (added, removed) entry texts.
    private func nextDelta(_ client: RawClient, timeout: Double = 10) throws -> (added: [String], removed: [String]) {
        guard case let .delta(delta) = try client.readReply(timeout: timeout, until: { if case .delta = $0 { true } else { false } })
        else { throw TestFailure("no DELTA") }
        return (delta.added.map(\.description), delta.removed.map(\.description))
    }

    @Test func theGrantedLeaseIsCappedByTheMaximum() throws {
        let daemon = try Daemon.start(["--max-lease", "40"])
        #expect(try hello(daemon.port, "urn:test:a", lease: 3_600).1.contains("lease=40"))
        #expect(try hello(daemon.port, "urn:test:b", lease: 7).1.contains("lease=7"))
        #expect(try hello(daemon.port, "urn:test:c").1.contains("lease=0"))
        #expect(try daemon.stop() == 0)
    }

    @Test func leaseZeroRemovesTheProfileAtDisconnect() throws {
        let daemon = try Daemon.start()
        let (watcher, _) = try publisher(daemon.port)
        let (subscriber, _) = try hello(daemon.port, "urn:test:s")
        try subscriber.subscribe(["wf:A"])
        #expect(try nextDelta(watcher).added == ["wf:A"])
        try subscriber.send("QUIT\r\n")
        #expect(try nextDelta(watcher).removed == ["wf:A"])
        #expect(try daemon.stop() == 0)
    }

    @Test func anAwaySubscriberKeepsItsConceptsAndResumesInsideItsLease() throws {
        let daemon = try Daemon.start()
        let (watcher, _) = try publisher(daemon.port)
        let (first, granted) = try hello(daemon.port, "urn:test:s", lease: 600)
        #expect(granted.contains("lease=600") && !granted.contains { $0.hasPrefix("resumed=") })
        try first.subscribe(["wf:A"])
        #expect(try nextDelta(watcher).added == ["wf:A"])
        try first.send("QUIT\r\n")
        _ = try first.expectClosed()

        // Away: the concept stays in the profile, and a message for it is missed.
        try watcher.send(pub(("wf:A", "while-away")) + "PING\r\n")
        let beforePong = try watcher.readReply { $0 == .pong || { if case .delta = $0 { true } else { false } }($0) }
        #expect(beforePong == .pong)

        let (second, resumed) = try hello(daemon.port, "urn:test:s", lease: 600)
        #expect(resumed.contains("resumed=sub"))
        try watcher.send(pub(("wf:A", "after"), ("wf:B", "unwanted")))
        let delivery = try second.readReply { $0.delivery != nil }.delivery
        #expect(delivery?.texts == ["wf:A=after"])
        try watcher.send("PING\r\n")
        #expect(try watcher.readReply { if case .delta = $0 { true } else { $0 == .pong } } == .pong)
        #expect(try AdminHTTP.stats(daemon.adminPort)["deliveries_missed"] == 1)
        #expect(try daemon.stop() == 0)
    }

    @Test func anExpiredLeaseRemovesTheRegistrationsAndUpdatesPublishers() throws {
        let daemon = try Daemon.start()
        let (watcher, _) = try publisher(daemon.port)
        let (subscriber, _) = try hello(daemon.port, "urn:test:s", lease: 1)
        try subscriber.subscribe(["wf:A", "res.>"])
        #expect(Set(try nextDelta(watcher).added) == ["wf:A", "res.>"])
        let (leasedPublisher, _) = try hello(daemon.port, "urn:test:p", lease: 1)
        try leasedPublisher.send("REG\r\n")
        #expect(try leasedPublisher.readReply().isOK("REG"))
        try subscriber.send("QUIT\r\n")
        try leasedPublisher.send("QUIT\r\n")
        // The lease runs out about a second later; the watcher hears of it then.
        #expect(Set(try nextDelta(watcher).removed) == ["wf:A", "res.>"])
        try waitUntil("both leases to be logged as expired") {
            daemon.log.components(separatedBy: "lease expired").count - 1 == 2
        }
        let (again, arguments) = try hello(daemon.port, "urn:test:s", lease: 1)
        #expect(!arguments.contains { $0.hasPrefix("resumed=") })
        _ = again
        let stats = try AdminHTTP.stats(daemon.adminPort)
        #expect(stats["subscribers"] == 0 && stats["publishers"] == 1 && stats["leases_expired"] == 2)
        #expect(try daemon.stop() == 0)
    }

    @Test func leasedRegistrationsSurviveARestartAndResume() throws {
        let directory = TemporaryPath()
        let first = try Daemon.start(["--data-dir", directory.path])
        let (subscriber, _) = try hello(first.port, "urn:test:s", lease: 600)
        try subscriber.subscribe(["wf:A", "res.>"])
        try subscriber.send(profileFrame("ADD", ["wf:B"]) + profileFrame("DEL", ["res.>"]))
        #expect(try subscriber.readReply().isOK("ADD"))
        #expect(try subscriber.readReply().isOK("DEL"))
        let (leasedPublisher, _) = try hello(first.port, "urn:test:p", lease: 600)
        try leasedPublisher.send("REG\r\n")
        #expect(try leasedPublisher.readReply().isOK("REG"))
        let (ephemeral, _) = try hello(first.port, "urn:test:e")
        try ephemeral.subscribe(["wf:E"])
        first.kill()

        let second = try Daemon.start(["--data-dir", directory.path])
        // The away subscriber's concepts are in the profile a new publisher gets; lease 0 ones are gone.
        let (_, profile) = try publisher(second.port)
        #expect(profile == ["wf:A", "wf:B"])
        let (_, resumedSubscriber) = try hello(second.port, "urn:test:s", lease: 600)
        #expect(resumedSubscriber.contains("resumed=sub"))
        let (back, resumedPublisher) = try hello(second.port, "urn:test:p", lease: 600)
        #expect(resumedPublisher.contains("resumed=pub"))
        guard case let .profile(_, entries) = try back.readReply() else { throw TestFailure("no PROFILE on resume") }
        #expect(Set(entries.map(\.description)) == ["wf:A", "wf:B"])
        #expect(try second.stop() == 0)
        // A clean stop ends with a snapshot: the next start reads it and an empty journal.
        #expect(second.log.contains("reason=shutdown"))
        let third = try Daemon.start(["--data-dir", directory.path])
        #expect(third.log.contains("journal_records=0") && !third.log.contains("snapshot_generation=none"))
        #expect(try publisher(third.port).1 == ["wf:A", "wf:B"])
        #expect(try third.stop() == 0)
    }

    @Test func aLeaseKeepsRunningAcrossARestart() throws {
        let directory = TemporaryPath()
        let first = try Daemon.start(["--data-dir", directory.path])
        let (subscriber, _) = try hello(first.port, "urn:test:s", lease: 2)
        try subscriber.subscribe(["wf:A"])
        first.kill()

        let second = try Daemon.start(["--data-dir", directory.path])
        let (watcher, profile) = try publisher(second.port)
        if profile.isEmpty {
            // A very slow start: the lease already ran out while loading.
            #expect(second.log.contains("lease expired"))
        } else {
            #expect(profile == ["wf:A"])
            #expect(try nextDelta(watcher).removed == ["wf:A"])
        }
        #expect(try second.stop() == 0)
        let third = try Daemon.start(["--data-dir", directory.path])
        #expect(try publisher(third.port).1.isEmpty)
        #expect(try third.stop() == 0)
    }
}
