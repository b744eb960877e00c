import BlackboardCore
import BlackboardProtocol
import Foundation
import Testing

/// Bad input, slow consumers and limits: each affects only the connection that
/// caused it, gets a specific error, and leaves everyone else served.
@Suite struct ContainmentTests {
    /// A subscriber and a publisher that must keep working whatever happens next to them.
    private func bystanders(_ port: UInt16) throws -> (subscriber: RawClient, publisher: RawClient) {
        let subscriber = try RawClient.hello(port, "urn:test:bystander")
        try subscriber.subscribe(["ok"])
        return (subscriber, try RawClient.hello(port, "urn:test:bystander-pub"))
    }

    private func stillServed(_ pair: (subscriber: RawClient, publisher: RawClient), _ tag: String) throws {
        try pair.publisher.send(pub(("ok", tag)))
        #expect(try pair.subscriber.nextDelivery().texts == ["ok=\(tag)"])
    }

    @Test(arguments: [
        ("FOO bar\r\n", "unknown_verb"),
        ("SUB 1\r\nbad entry\r\n", "bad_entry"),
        ("SUB 1\r\n.>\r\n", "bad_entry"),
        ("PUB 1\r\nbad\u{7F}concept 1\r\nx\r\n", "bad_concept"),
        ("HELLO has space\r\n", "bad_syntax"),
        ("PING\r\nHELLO urn:late\r\n", "bad_state"),
        ("HELLO urn:x version=2\r\n", "bad_version"),
        ("HELLO urn:blackboard:conn:1\r\n", "bad_uri"),
        ("ACK 1\r\n", "not_publisher"),
    ])
    func recoverableErrorsAreAnsweredAndTheConnectionGoesOn(input: String, code: String) throws {
        let daemon = try Daemon.start()
        let others = try bystanders(daemon.port)
        let client = try RawClient(port: daemon.port)
        try client.send(input + "PING\r\n")
        let reply = try client.readReply(until: { $0 != .pong || !input.hasPrefix("PING") })
        #expect(reply.errorCode == code, "input \(input.debugDescription) answered \(reply)")
        try client.barrier()
        try stillServed(others, "after-\(code)")
    }

    @Test(arguments: [
        ("PUB 1\r\nc 999999999999\r\n", "value_too_large"),
        ("PUB 10000000\r\n", "too_many_pairs"),
        ("PUB 1\r\nc 3\r\nabcXY", "bad_frame"),
        ("PUB 1\r\nno-size\r\n", "bad_frame"),
        ("SUB 100000000\r\n", "profile_too_large"),
        ("SUB x\r\n", "bad_syntax"),
        (String(repeating: "A", count: 5000), "line_too_long"),
    ])
    func fatalErrorsCloseOnlyThatConnection(input: String, code: String) throws {
        let daemon = try Daemon.start()
        let others = try bystanders(daemon.port)
        let client = try RawClient(port: daemon.port)
        try client.send(input)
        let said = try client.expectClosed()
        #expect(said.hasPrefix("-ERR \(code) "), "input \(input.prefix(40).debugDescription) got \(said)")
        try stillServed(others, "after-\(code)")
    }

    @Test func garbageBytesAreContained() throws {
        let daemon = try Daemon.start()
        let others = try bystanders(daemon.port)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let client = try RawClient(port: daemon.port)
            let garbage = (0..<2048).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try? client.send(bytes: garbage + Array("\r\nQUIT\r\n".utf8))
            _ = try? client.expectClosed(timeout: 5)
            try stillServed(others, "round-\(round)")
        }
    }

    @Test func aSlowConsumerIsCutOffWhileOthersKeepReceiving() throws {
        let daemon = try Daemon.start(["--max-pending", "262144"])
        let fast = try RawClient.hello(daemon.port, "urn:test:fast")
        try fast.subscribe(["load"])
        let slow = try RawClient.hello(daemon.port, "urn:test:slow")
        try slow.subscribe(["load"])
        let publisher = try RawClient.hello(daemon.port, "urn:test:pub")
        let value = String(repeating: "v", count: 8192)
        // The slow subscriber never reads; the fast one reads everything.
        var received = 0
        for batch in 0..<150 {
            try publisher.send((0..<16).map { _ in pub(("load", value)) }.joined())
            for _ in 0..<16 {
                #expect(try fast.nextDelivery().pairs.first?.value.count == 8192)
                received += 1
            }
            if daemon.log.contains("slow consumer disconnected") && batch > 2 { break }
        }
        try waitUntil("the slow consumer to be cut off") { daemon.log.contains("slow consumer disconnected") }
        #expect(daemon.log.contains("urn:test:slow"))
        #expect(received >= 48)
        try publisher.send(pub(("load", "after")))
        #expect(try fast.nextDelivery().texts == ["load=after"])
    }

    @Test func aConsumerUnwritablePastTheDeadlineIsCutOff() throws {
        // The byte cap (64 MiB by default) is never reached here: the deadline must act.
        let daemon = try Daemon.start(["--write-deadline", "300"])
        let stuck = try RawClient.hello(daemon.port, "urn:test:stuck")
        try stuck.subscribe(["load"])
        let publisher = try RawClient.hello(daemon.port, "urn:test:pub")
        let value = String(repeating: "v", count: 65_536)
        for _ in 0..<60 where !daemon.log.contains("slow consumer disconnected") {
            try publisher.send((0..<8).map { _ in pub(("load", value)) }.joined())
            try publisher.barrier()
        }
        try waitUntil("the unwritable consumer to be cut off") { daemon.log.contains("unwritable for more than 300 ms") }
        #expect(daemon.log.contains("urn:test:stuck"))
        try publisher.barrier()
    }

    @Test func aRefusedHelloCanBeRetried() throws {
        let daemon = try Daemon.start()
        let client = try RawClient(port: daemon.port)
        try client.send("HELLO urn:blackboard:conn:7\r\nHELLO urn:test:retry\r\nHELLO urn:test:again\r\n")
        #expect(try client.readReply().errorCode == "bad_uri")
        #expect(try client.readReply().isOK("HELLO"))
        #expect(try client.readReply().errorCode == "bad_state")
    }

    @Test func aSecondHelloWithTheSameURITakesOver() throws {
        let daemon = try Daemon.start()
        let first = try RawClient.hello(daemon.port, "urn:test:same")
        try first.subscribe(["x"])
        let second = try RawClient.hello(daemon.port, "urn:test:same")
        #expect(try first.closedReplies().first?.errorCode == "replaced")
        try second.subscribe(["x"])
        let publisher = try RawClient(port: daemon.port)
        try publisher.send(pub(("x", "1")))
        #expect(try second.nextDelivery().texts == ["x=1"])
    }

    @Test func connectionsPastTheLimitAreRefused() throws {
        let daemon = try Daemon.start(["--max-connections", "3"])
        let clients = try (0..<3).map { _ in try RawClient(port: daemon.port) }
        for client in clients { try client.barrier() }
        let extra = try RawClient(port: daemon.port)
        #expect(try extra.expectClosed().hasPrefix("-ERR too_many_connections "))
        try clients[0].barrier()
    }

    @Test func silentClientsArePingedThenClosed() throws {
        let daemon = try Daemon.start(["--ping-interval", "50", "--ping-max-outstanding", "2"])
        let answering = try RawClient(port: daemon.port)
        let silent = try RawClient(port: daemon.port)
        // The answering client replies PONG to every PING; the silent one never does.
        #expect(try answering.readReply(timeout: 5) == .ping)
        try answering.send("PONG\r\n")
        let said = try silent.expectClosed(timeout: 10)
        #expect(said.hasPrefix("PING\r\nPING\r\n-ERR stale_connection "))
        #expect(try answering.readReply(timeout: 5) == .ping)
        try answering.send("PONG\r\n")
        try answering.barrier()
    }

    @Test func aClientThatHalfClosesStillGetsItsReplies() throws {
        let daemon = try Daemon.start()
        let subscriber = try RawClient.hello(daemon.port, "urn:test:reader")
        try subscriber.subscribe(["x"])
        let client = try RawClient(port: daemon.port)
        // Everything in one write, then end of stream: what nc -N or a shell script does.
        try client.send("SUB 1\r\ny\r\n" + pub(("x", "1")) + "PING\r\n")
        client.socket.shutdownWrite()
        #expect(try client.expectClosed() == "+OK SUB 2\r\nPONG\r\n")
        #expect(try subscriber.nextDelivery().texts == ["x=1"])
    }

    @Test func sigtermClosesClientsAndExitsZero() throws {
        let daemon = try Daemon.start()
        let client = try RawClient.hello(daemon.port, "urn:test:term")
        try client.subscribe(["x"])
        #expect(try daemon.stop() == 0)
        #expect(try client.expectClosed().contains("-ERR shutting_down "))
    }
}
