import BlackboardCore
import BlackboardProtocol
import Testing

/// Aggregate profile pushes, acknowledgements and SYNC, through the real daemon.
@Suite struct ProfileTests {
    private func register(_ port: UInt16, _ uri: String) throws -> (RawClient, UInt64, [ProfileEntry]) {
        let publisher = try RawClient.hello(port, uri)
        try publisher.send("REG\r\n")
        #expect(try publisher.readReply().isOK("REG"))
        guard case let .profile(version, entries) = try publisher.readReply() else {
            throw TestFailure("REG was not followed by PROFILE")
        }
        return (publisher, version, entries)
    }

    private func nextDelta(_ client: RawClient) throws -> ProfileDelta {
        let reply = try client.readReply()
        guard case let .delta(delta) = reply else { throw TestFailure("expected DELTA, got \(reply)") }
        return delta
    }

    @Test func publishersGetTheProfileThenDeltasOnlyWhenTheUnionChanges() throws {
        let daemon = try Daemon.start()
        let s1 = try RawClient.hello(daemon.port, "urn:test:s1")
        try s1.subscribe(["wf:A", "res.>"])
        let (publisher, version, entries) = try register(daemon.port, "urn:test:p")
        #expect(version == 1)
        #expect(entries.map(\.text) == ["res.>", "wf:A"])

        // Same profile again, and a second subscriber inside the union: no push.
        #expect(try s1.subscribe(["wf:A", "res.>"]) == 1)
        let s2 = try RawClient.hello(daemon.port, "urn:test:s2")
        #expect(try s2.subscribe(["wf:A"]) == 1)
        // A real change is pushed, and is the very next frame the publisher sees.
        #expect(try s2.subscribe(["wf:A", "wf:B"]) == 2)
        #expect(try nextDelta(publisher) == ProfileDelta(version: 2, added: [.exact("wf:B")], removed: []))

        // s1 leaving removes res.> (wf:A is still wanted by s2).
        try s1.send("QUIT\r\n")
        try s1.expectClosed()
        #expect(try nextDelta(publisher) == ProfileDelta(version: 3, added: [], removed: [.below("res")]))
        try publisher.barrier()
    }

    @Test func syncWaitsUntilEveryPublisherAcknowledged() throws {
        let daemon = try Daemon.start()
        let (p1, v1, _) = try register(daemon.port, "urn:test:p1")
        let (p2, _, _) = try register(daemon.port, "urn:test:p2")
        #expect(v1 == 0)
        try p1.send("ACK 0\r\n")
        try p2.send("ACK 0\r\n")
        let s = try RawClient.hello(daemon.port, "urn:test:s")
        let version = try s.subscribe(["wf:Started"])
        try s.send("SYNC 10000\r\nPING\r\n")
        #expect(try nextDelta(p1).version == version)
        #expect(try nextDelta(p2).version == version)
        try p1.send("ACK \(version)\r\n")
        try p1.barrier()
        // p2 has not acknowledged: the subscriber's SYNC (and the PING behind it) wait.
        #expect(try s.isSilent(for: 0.2))
        try p2.send("ACK \(version)\r\n")
        #expect(try s.readReply() == .ok(verb: "SYNC", arguments: ["\(version)"]))
        #expect(try s.readReply() == .pong)
    }

    @Test func syncTimesOutAndTheConnectionGoesOn() throws {
        let daemon = try Daemon.start()
        let (silent, _, _) = try register(daemon.port, "urn:test:silent")
        defer { withExtendedLifetime(silent) {} }
        let s = try RawClient.hello(daemon.port, "urn:test:s")
        try s.subscribe(["x"])
        try s.send("SYNC 50\r\nPING\r\n")
        let reply = try s.readReply()
        #expect(reply.errorCode == "sync_timeout")
        #expect(try s.readReply() == .pong)
    }

    @Test func syncWithoutAProfileChangeWaitsForNothing() throws {
        let daemon = try Daemon.start()
        let (laggard, _, _) = try register(daemon.port, "urn:test:never-acks")
        defer { withExtendedLifetime(laggard) {} }
        let client = try RawClient(port: daemon.port)
        try client.send("SYNC 10000\r\n")
        #expect(try client.readReply() == .ok(verb: "SYNC", arguments: ["0"]))
    }

    @Test func aClientWaitingInSyncIsNotPingedAway() throws {
        let daemon = try Daemon.start(["--ping-interval", "50"])
        let (laggard, _, _) = try register(daemon.port, "urn:test:laggard")
        let s = try RawClient.hello(daemon.port, "urn:test:waiting")
        try s.subscribe(["x"])
        try s.send("SYNC 600\r\n")
        var reply: Reply?
        try waitUntil("the SYNC to end") {
            // Keep the laggard alive (answer its pings) without ever acknowledging.
            if let frame = try? laggard.readReply(timeout: 0.01), frame == .ping { try laggard.send("PONG\r\n") }
            reply = try? s.readReply(timeout: 0.01)
            return reply != nil
        }
        // Pinged while it could not answer, it would have been closed as stale first.
        #expect(reply?.errorCode == "sync_timeout")
        #expect(try s.readReply(until: { $0 == .ping }) == .ping)
    }

    @Test func aPublisherThatLeavesNoLongerHoldsUpSync() throws {
        let daemon = try Daemon.start()
        let (publisher, _, _) = try register(daemon.port, "urn:test:gone")
        let s = try RawClient.hello(daemon.port, "urn:test:s")
        let version = try s.subscribe(["x"])
        try s.send("SYNC 10000\r\n")
        try publisher.send("QUIT\r\n")
        #expect(try s.readReply() == .ok(verb: "SYNC", arguments: ["\(version)"]))
    }

    @Test(arguments: [
        ("ACK 0\r\n", "not_publisher", false),
        ("REG\r\nACK 7\r\n", "bad_version", true),
    ])
    func acknowledgementErrors(input: String, code: String, registers: Bool) throws {
        let daemon = try Daemon.start()
        let client = try RawClient(port: daemon.port)
        try client.send(input)
        if registers {
            #expect(try client.readReply().isOK("REG"))
            _ = try client.readReply()
        }
        #expect(try client.readReply().errorCode == code)
        try client.barrier()
    }
}
