import BlackboardCore
import BlackboardProtocol
import BlackboardTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Hostile clients against the real daemon (issue 6, "Hostile input"). Each test
/// checks three things: the attacker gets the specific error or disconnect, a
/// subscriber and a publisher next to it keep being served during and after the
/// attack, and the broker's memory stays within a stated bound while a leased
/// registration made before the attack survives a restart. Limits are made
/// small with flags so that every attack ends within a few seconds.
// Serialized, and run by `make test` in a pass of its own: each test blocks a thread while it
// polls and loads the machine, which on 2 cores starves other suites' async tests.
@Suite(.serialized) struct HostileClientTests {
    /// RSS growth over the broker's start allowed during any attack (PROTOCOL.md, "Hostile input"),
    /// stretched by `testMemoryScale` under a sanitizer's allocator (`make test-sanitize`).
    static let memoryBoundKiB = Int(Double(32 << 10) * testMemoryScale)

    @Test func aControlLineDribbledByteByByteIsCutAtMaxLine() throws {
        let fixture = try Fixture(["--max-line", "64"])
        let attacker = try RawClient(port: fixture.port)
        // A well-formed line dribbled one byte at a time is read like any other.
        for byte in "HELLO urn:test:dribbler\r\n".utf8 { try attacker.send(bytes: [byte]) }
        #expect(try attacker.readReply().isOK("HELLO"))
        // An unterminated one is cut once it holds max_line bytes; until then others are served.
        let started = Date()
        for index in 0..<63 {
            try attacker.send(bytes: [UInt8(ascii: "A")])
            if index % 16 == 0 { try fixture.bystanders.check("dribble-\(index)") }
            usleep(5_000) // the attack's pace, not a synchronisation
        }
        #expect(try attacker.isSilent(for: 0.05))
        try attacker.send(bytes: [UInt8(ascii: "A")])
        let said = try fixture.awaitClose(attacker)
        #expect(said.hasPrefix("+OK HELLO ") && said.hasSuffix("\r\n") && said.contains("\r\n-ERR line_too_long "),
                "got \(said)")
        let seconds = Date().timeIntervalSince(started)
        fixture.note("control-line dribble cut at max_line after \(seconds) s")
        #expect(seconds < 5)
        try fixture.finish()
    }

    @Test func aValueDribbledThenStalledIsClosedByTheLiveness() throws {
        let fixture = try Fixture(["--max-value", "256", "--ping-interval", "200"])
        let attacker = try RawClient(port: fixture.port)
        try attacker.send("PUB 1\r\nok 200\r\n")
        // Half the value, one byte every 5 ms: input keeps the connection from being idle.
        for index in 0..<100 {
            try attacker.send(bytes: [UInt8(ascii: "v")])
            if index % 25 == 0 { try fixture.bystanders.check("dribble-\(index)") }
            usleep(5_000) // the attack's pace, not a synchronisation
        }
        // Then it stalls mid-frame: pinged twice, then closed as stale.
        let stalled = Date()
        let said = try fixture.awaitClose(attacker)
        let seconds = Date().timeIntervalSince(stalled)
        #expect(said.hasPrefix("PING\r\nPING\r\n-ERR stale_connection "), "got \(said)")
        #expect(seconds >= 0.4 && seconds < 3, "closed after \(seconds) s")
        fixture.note("value stalled mid-frame closed after \(seconds) s")
        try fixture.finish()
    }

    @Test(arguments: [
        ("PUB 1\r\nbig 4294967296\r\n", "value_too_large"),
        ("PUB 10000000\r\n", "too_many_pairs"),
        ("SUB 100000000\r\n", "profile_too_large"),
        ("PUB 2\r\na 1024\r\n", "message_too_large"),
    ])
    func anOversizedDeclarationIsRefusedBeforeAnyBodyIsRead(frame: String, code: String) throws {
        let fixture = try Fixture(["--max-message", "1024"])
        let attacker = try RawClient(port: fixture.port)
        try attacker.send(frame + String(repeating: "x", count: 1_000))
        let said = try attacker.expectClosed()
        #expect(said.hasPrefix("-ERR \(code) "), "\(frame.debugDescription) got \(said)")
        try fixture.finish()
    }

    /// Declarations just inside the limits, never followed by their body: the broker
    /// must not reserve what was declared (64 connections × 8 MiB would be 512 MiB).
    @Test func declaredButUnsentBodiesReserveNothing() throws {
        let fixture = try Fixture()
        let frames = ["PUB 1\r\nbig 8388608\r\n", "PUB 100000\r\n", "SUB 100000\r\n"]
        let attackers = try (0..<96).map { index in
            let client = try RawClient(port: fixture.port)
            try client.send(frames[index % frames.count])
            return client
        }
        try fixture.bystanders.check("during")
        for attacker in attackers { #expect(!Self.isReadable(attacker)) }
        try fixture.finish()
    }

    @Test(arguments: [("control", ""), ("entry", "SUB 1\r\n"), ("record header", "PUB 1\r\n")])
    func anUnterminatedLineIsCutAtMaxLine(kind: String, prefix: String) throws {
        let fixture = try Fixture(["--max-line", "1024"])
        let attacker = try RawClient(port: fixture.port)
        // 1 MiB without an LF; the broker stops reading at 1024 bytes, so the rest may be refused.
        try? attacker.send(bytes: Array(prefix.utf8) + [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20))
        let said = try fixture.awaitClose(attacker)
        #expect(said.hasPrefix("-ERR line_too_long "), "\(kind) line got \(said)")
        try fixture.finish()
    }

    /// Inputs written with one character per byte (`\u{FF}` is the byte 0xFF).
    @Test(arguments: [
        ("PUB 1\r\ncaf\u{C3}\u{A9} 1\r\nx\r\n", "bad_concept"),         // valid UTF-8, not ASCII
        ("PUB 1\r\nbad\u{C3}\u{28}\u{FF} 1\r\nx\r\n", "bad_concept"),  // invalid UTF-8
        ("PUB 1\r\nnul\u{0}byte 1\r\nx\r\n", "bad_concept"),
        ("SUB 1\r\nbad\u{FE}\u{FF}\r\n", "bad_entry"),
        ("SUB 2\r\nok\r\nnul\u{0}.>\r\n", "bad_entry"),
        ("HELLO urn:\u{0}\u{FF}\r\n", "bad_uri"),
        ("PI\u{0}NG\r\n", "unknown_verb"),
    ])
    func invalidBytesInConceptsAreRefusedAndTheConnectionGoesOn(text: String, code: String) throws {
        let input = text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let fixture = try Fixture()
        let attacker = try RawClient(port: fixture.port)
        try attacker.send(bytes: input)
        let reply = try attacker.readReply()
        #expect(reply.errorCode == code, "\(input) answered \(reply)")
        try attacker.barrier()
        // Values are binary: the same bytes in a value are delivered intact.
        let value: [UInt8] = [0, 0xFF, 0xC3, 0x28, 0x0D, 0x0A]
        try attacker.send(bytes: Array("PUB 1\r\nok 6\r\n".utf8) + value + Array("\r\n".utf8))
        #expect(try fixture.bystanders.subscriber.nextDelivery().pairs.first.map { Array($0.value) } == value)
        try fixture.finish()
    }

    @Test func aFloodOfHugeProfilesStaysWithinMaxProfileAndMemory() throws {
        let fixture = try Fixture(["--max-profile", "2000"])
        // Past the limit: refused at the count, before any entry is read.
        let greedy = try RawClient(port: fixture.port)
        try greedy.send("SUB 2001\r\n")
        #expect(try greedy.expectClosed().hasPrefix("-ERR profile_too_large "))
        // Growing past it with ADD is refused too, and the profile is kept.
        let grower = try RawClient(port: fixture.port)
        try grower.subscribe((0..<2_000).map { "grow.\($0)" })
        try grower.send(profileFrame("ADD", ["grow.more"]))
        #expect(try grower.readReply().errorCode == "profile_too_large")
        try grower.barrier()
        // Within it: 32 subscribers of 2,000 distinct 120-byte concepts each (7.7 MB of text).
        let padding = String(repeating: "p", count: 100)
        let flood = try (0..<32).map { client in
            let subscriber = try RawClient(port: fixture.port)
            try subscriber.send(profileFrame("SUB", (0..<2_000).map { "flood.\(client).\(padding).\($0)" }))
            return subscriber
        }
        for subscriber in flood { #expect(try subscriber.readReply(timeout: 20).isOK("SUB")) }
        try fixture.bystanders.check("during")
        let entries = try AdminHTTP.stats(fixture.adminPort)["profile_entries"]
        #expect(entries == 66_003) // keeper 2, bystander 1, grower 2,000, flood 64,000
        let peakKiB = fixture.growthKiB()
        #expect(peakKiB < HostileClientTests.memoryBoundKiB, "the flood took \(peakKiB) KiB")
        fixture.note("flood of 64,000 entries: +\(peakKiB) KiB")
        for subscriber in flood { try subscriber.send("QUIT\r\n"); _ = try subscriber.closedReplies() }
        try waitUntil("the flood's entries to leave the profile") {
            try AdminHTTP.stats(fixture.adminPort)["profile_entries"] == 2_003
        }
        try fixture.finish()
    }

    @Test func idleConnectionsPastMaxConnectionsAreRefusedAndNewOnesAdmittedAfter() throws {
        let fixture = try Fixture(["--max-connections", "400"])
        // 500 clients against a limit of 400: the bystanders and 498 idle ones.
        var attackers: [RawClient] = []
        for _ in 0..<498 { attackers.append(try RawClient(port: fixture.port)) }
        // The refused get their error on accept and are closed at once; wait for all 100.
        var refused: [Int] = []
        try waitUntil(timeout: 20, "100 connections to be refused") {
            refused = attackers.indices.filter { Self.isReadable(attackers[$0]) }
            return refused.count >= 100
        }
        #expect(refused.count == 100)
        for index in refused {
            #expect(try attackers[index].expectClosed().hasPrefix("-ERR too_many_connections "))
        }
        let admitted = attackers.indices.filter { !refused.contains($0) }
        for index in admitted { try attackers[index].barrier() }
        try fixture.bystanders.check("at-the-limit")
        // The admin port counts toward the limit: at it, it is refused too.
        #expect(try AdminHTTP.get(fixture.adminPort, "/stats").status == 503)
        // Close them all; a new client is accepted and the admin port answers.
        attackers.removeAll()
        try waitUntil("the idle connections to be closed") {
            (try? AdminHTTP.stats(fixture.adminPort)["connections_open"]) == 2
        }
        // 100 clients and the 503 above; polls made while the closes drain may add more.
        #expect(try AdminHTTP.stats(fixture.adminPort)["connections_rejected"].map { $0 >= 101 } == true)
        let late = try RawClient.hello(fixture.port, "urn:test:late")
        try late.barrier()
        fixture.note("398 idle connections: +\(fixture.growthKiB()) KiB")
        try fixture.finish()
    }

    @Test(arguments: ["", "HEL"])
    func aHalfOpenHandshakeIsPingedThenClosed(sent: String) throws {
        let fixture = try Fixture(["--ping-interval", "200"])
        let attacker = try RawClient(port: fixture.port)
        try attacker.send(sent)
        let started = Date()
        let said = try fixture.awaitClose(attacker)
        let seconds = Date().timeIntervalSince(started)
        #expect(said.hasPrefix("PING\r\nPING\r\n-ERR stale_connection "), "got \(said)")
        #expect(seconds >= 0.4 && seconds < 3, "closed after \(seconds) s")
        fixture.note("half-open handshake \(sent.debugDescription) closed after \(seconds) s")
        #expect(try AdminHTTP.stats(fixture.adminPort)["stale_disconnects"] == 1)
        try fixture.finish()
    }

    @Test func aSubscriberThatNeverReadsIsCutOffAsASlowConsumer() throws {
        let fixture = try Fixture(["--max-pending", "262144"])
        let stuck = try RawClient.hello(fixture.port, "urn:test:stuck")
        var small: Int32 = 4096
        setsockopt(stuck.socket.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        try stuck.subscribe(["ok"])
        let value = String(repeating: "v", count: 16_384)
        let started = Date()
        var sent = 0
        // The bystander subscriber reads everything; the stuck one nothing.
        while !fixture.daemon.log.contains("slow consumer disconnected") {
            try #require(sent < 4_000, "no slow consumer after \(sent) messages")
            try fixture.bystanders.publisher.send((0..<16).map { _ in pub(("ok", value)) }.joined())
            for _ in 0..<16 { #expect(try fixture.bystanders.subscriber.nextDelivery().pairs.first?.value.count == 16_384) }
            sent += 16
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(fixture.daemon.log.contains("urn:test:stuck"))
        // Not drained here: through a 4 KiB receive buffer the kernel's backlog takes
        // tens of seconds to trickle out. The broker's side is gone at once.
        try waitUntil("the stuck subscriber to be closed") {
            try AdminHTTP.stats(fixture.adminPort)["connections_open"] == 2
        }
        #expect(try AdminHTTP.stats(fixture.adminPort)["slow_consumer_disconnects"] == 1)
        fixture.note("slow consumer cut after \(sent) messages of 16 KiB, \(seconds) s")
        try fixture.finish()
    }

    private static func isReadable(_ client: RawClient) -> Bool {
        var descriptor = pollfd(fd: client.socket.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}

/// A daemon with a leased subscriber registered before the attack, a subscriber
/// and publisher pair that must keep being served, and the RSS it started with.
private final class Fixture {
    let data = TemporaryPath("blackboard-hostile")
    let arguments: [String]
    let daemon: Daemon
    let bystanders: Bystanders
    let baselineKiB: Int
    var port: UInt16 { daemon.port }
    var adminPort: UInt16 { daemon.adminPort }

    init(_ arguments: [String] = []) throws {
        self.arguments = arguments
        daemon = try Daemon.start(arguments + ["--data-dir", data.path])
        let keeper = try RawClient.hello(daemon.port, "urn:test:keeper", options: "lease=600")
        try keeper.subscribe(["kept.a", "kept.>"])
        try keeper.send("QUIT\r\n")
        _ = try keeper.closedReplies()
        bystanders = try Bystanders(daemon.port)
        try bystanders.check("before")
        baselineKiB = try #require(daemon.residentKiB())
    }

    /// RSS now over the start, in KiB.
    func growthKiB() -> Int { (daemon.residentKiB() ?? Int.max) - baselineKiB }

    /// Prints a measurement for the report (visible in `swift test` output).
    func note(_ text: String) { print("hostile: \(text)") }

    /// Waits until the broker closes `attacker`, checking the bystanders every
    /// 100 ms meanwhile; returns what the broker sent it.
    func awaitClose(_ attacker: RawClient, timeout: Double = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var round = 0
        while true {
            if let said = try? attacker.expectClosed(timeout: 0.1) { return said }
            if Date() > deadline { throw TestFailure("attacker still connected after \(timeout) s") }
            round += 1
            try bystanders.check("waiting-\(round)")
        }
    }

    /// The checks after every attack: the bystanders are served, memory stayed
    /// bounded, the daemon stops cleanly, and the leased subscriber comes back
    /// from the data directory after a restart.
    func finish(boundKiB: Int = HostileClientTests.memoryBoundKiB) throws {
        try bystanders.check("after")
        let growth = growthKiB()
        note("\(arguments.joined(separator: " ")): RSS \(baselineKiB) KiB at start, +\(growth) KiB after")
        #expect(growth < boundKiB, "RSS grew by \(growth) KiB")
        #expect(try daemon.stop() == 0)
        let restarted = try Daemon.start(arguments + ["--data-dir", data.path])
        let rows = try AdminHTTP.object(restarted.adminPort, "/subscribers")["subscribers"] as? [[String: Any]]
        let keeper = rows?.first { $0["uri"] as? String == "urn:test:keeper" }
        #expect(keeper?["state"] as? String == "away" && keeper?["profile_entries"] as? Int == 2, "\(rows ?? [])")
        #expect(try restarted.stop() == 0)
    }
}

/// A subscriber of `ok` and a publisher, both answering the broker's pings.
private final class Bystanders {
    let subscriber: RawClient
    let publisher: RawClient

    init(_ port: UInt16) throws {
        subscriber = try RawClient.hello(port, "urn:test:bystander")
        try subscriber.subscribe(["ok"])
        publisher = try RawClient.hello(port, "urn:test:bystander-pub")
    }

    /// One publish goes through; each side then sends a PING of its own, so that
    /// neither looks idle to the broker however short its ping interval.
    func check(_ tag: String) throws {
        try publisher.send(pub(("ok", tag)) + "PING\r\n")
        let delivery = try Self.read(subscriber) { $0.delivery != nil }.delivery
        #expect(delivery?.texts == ["ok=\(tag)"])
        try subscriber.send("PING\r\n")
        _ = try Self.read(subscriber) { $0 == .pong }
        _ = try Self.read(publisher) { $0 == .pong }
    }

    /// The next frame satisfying `match`, answering PINGs on the way.
    private static func read(_ client: RawClient, until match: (Reply) -> Bool) throws -> Reply {
        try client.readReply(timeout: 5) { reply in
            if reply == .ping { try? client.send("PONG\r\n"); return false }
            return match(reply)
        }
    }
}
