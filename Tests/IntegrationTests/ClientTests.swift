import BlackboardClient
import BlackboardCore
import BlackboardProtocol
import BlackboardTestSupport
import BlackboardTransport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The client library against the real daemon.
@Suite struct ClientTests {
    private func configuration(_ port: UInt16, _ uri: String, reconnects: Bool = true) -> ClientConfiguration {
        var configuration = ClientConfiguration(port: port, uri: uri)
        configuration.reconnects = reconnects
        configuration.reconnectBackoff = ReconnectBackoff(initial: .milliseconds(10), maximum: .milliseconds(200))
        return configuration
    }

    @Test func publisherGetsTheProfileThenEveryChange() async throws {
        let daemon = try Daemon.start()
        let s1 = try RawClient.hello(daemon.port, "urn:test:s1")
        try s1.subscribe(["wf:A"])
        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p"))
        #expect(publisher.profileVersion == 1 && publisher.profile == ConceptFilter([.exact("wf:A")]))
        #expect(publisher.wants("wf:A") && !publisher.wants("wf:B"))

        let updates = publisher.profileUpdates()
        let s2 = try RawClient.hello(daemon.port, "urn:test:s2")
        try s2.subscribe(["res.>"])
        let seen = try await collect(2, from: updates, "profile updates")
        #expect(seen[0] == ProfileUpdate(version: 1, entries: [.exact("wf:A")], delta: nil))
        #expect(seen[1].delta == ProfileDelta(version: 2, added: [.below("res")], removed: []))
        #expect(seen[1].entries == [.below("res"), .exact("wf:A")])
        #expect(publisher.wants("res.cpu"))
        await publisher.close()
    }

    @Test func pairsNobodyWantsNeverLeaveThePublisher() async throws {
        let daemon = try Daemon.start()
        let subscriber = try RawClient.hello(daemon.port, "urn:test:s")
        try subscriber.subscribe(["wf:A"])
        // No keepalive PINGs: the test compares byte counts, and a stalled machine can
        // let the 30 s default interval pass between them.
        var settings = configuration(daemon.port, "urn:test:p")
        settings.pingInterval = nil
        let publisher = try await Publisher.connect(settings)

        let mixed = try publisher.publish([Pair("wf:A", "1"), Pair("noise", "n"), Pair("more:noise", "m")])
        #expect(mixed == PublishResult(sentPairs: 1, droppedPairs: 2))
        try await publisher.flush()
        let bytesBefore = publisher.statistics.bytesWritten

        let unwanted = try publisher.publish([Pair("noise", "n")])
        #expect(!unwanted.wasSent && unwanted.droppedPairs == 1)
        try await publisher.flush()
        #expect(publisher.statistics.bytesWritten == bytesBefore)

        try publisher.publish([Pair("wf:A", "2")])
        let first = try subscriber.nextDelivery()
        let second = try subscriber.nextDelivery()
        #expect(first.sequence == 1 && first.texts == ["wf:A=1"])
        #expect(second.sequence == 2 && second.texts == ["wf:A=2"])
        let statistics = publisher.statistics
        #expect(statistics.messagesSent == 2 && statistics.messagesSuppressed == 1)
        #expect(statistics.pairsSent == 2 && statistics.pairsDropped == 3)
        await publisher.close()
    }

    @Test func confirmedPublishesReportDeliveries() async throws {
        let daemon = try Daemon.start()
        let subscriber = try RawClient.hello(daemon.port, "urn:test:s")
        try subscriber.subscribe(["wf:A"])
        var settings = configuration(daemon.port, "urn:test:p")
        settings.acknowledgePublishes = true
        let publisher = try await Publisher.connect(settings)
        #expect(try await publisher.publishConfirmed([Pair("wf:A", "x")]).deliveries == 1)
        #expect(try await publisher.publishConfirmed([Pair("noise", "x")]) == PublishResult(sentPairs: 0, droppedPairs: 1, deliveries: 0))
        await publisher.close()
    }

    @Test func subscriberReceivesItsPartOfEachMessage() async throws {
        let daemon = try Daemon.start()
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s"))
        #expect(try await subscriber.subscribe([.exact("wf:A"), .below("res")]) == 1)
        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p"), filtering: false)
        try publisher.publish([Pair("wf:A", "x"), Pair("noise", "n"), Pair("res.cpu", [0xFF, 0x00])])
        try publisher.publish([Pair("res.disk.sda", "3")])
        let deliveries = try await collect(2, from: subscriber)
        #expect(deliveries.map(\.sequence) == [1, 2])
        #expect(deliveries.allSatisfy { $0.publisher == "urn:test:p" && $0.timestamp > 1_700_000_000_000 })
        #expect(deliveries[0].pairs == [Pair("wf:A", "x"), Pair("res.cpu", [0xFF, 0x00])])
        #expect(deliveries[1].pairs == [Pair("res.disk.sda", "3")])
        #expect(subscriber.statistics.deliveries == 2 && subscriber.statistics.pairs == 3)
        await publisher.close()
        await subscriber.close()
    }

    @Test func deliveriesCanBeTakenWithACallback() async throws {
        let daemon = try Daemon.start()
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:callback"))
        try await subscriber.subscribe([.exact("n")])
        let received = SharedText()
        let ended = SharedText()
        subscriber.onDelivery({ received.append($0.pairs.compactMap(\.text).joined() + ",") },
                              completion: { ended.append($0 == nil ? "closed" : "error") })
        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p"))
        for value in ["1", "2", "3"] { try publisher.publish([Pair("n", value)]) }
        try await waitUntil("three deliveries") { received.value == "1,2,3," }
        await subscriber.close()
        try await waitUntil("the callback's completion") { ended.value == "closed" }
        await publisher.close()
    }

    @Test func profileChangesAreConfirmedInOrder() async throws {
        let daemon = try Daemon.start()
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s"))
        #expect(subscriber.profile == nil)
        #expect(try await subscriber.add([.exact("a"), .exact("b")]) == 1)
        #expect(try await subscriber.remove([.exact("a")]) == 2)
        #expect(subscriber.profile == [.exact("b")])
        #expect(try await subscriber.subscribe([.all]) == 3)
        #expect(try await subscriber.unsubscribe() == 4)
        #expect(subscriber.profile == nil)
        await subscriber.close()
    }

    @Test func waitUntilEffectiveReturnsOncePublishersApplied() async throws {
        let daemon = try Daemon.start()
        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p"))
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s"))
        let version = try await subscriber.subscribe([.exact("wf:B")])
        #expect(try await subscriber.waitUntilEffective() == version)
        #expect(publisher.profileVersion == version && publisher.wants("wf:B"))
        #expect(try publisher.publish([Pair("wf:B", "now")]).wasSent)
        #expect(try await collect(1, from: subscriber)[0].pairs == [Pair("wf:B", "now")])
        await publisher.close()
        await subscriber.close()
    }

    @Test func waitUntilEffectiveTimesOutWhenAPublisherLags() async throws {
        let daemon = try Daemon.start()
        let laggard = try RawClient.hello(daemon.port, "urn:test:laggard")
        try laggard.send("REG\r\n")
        _ = try laggard.readReply(until: { if case .profile = $0 { true } else { false } })
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s"))
        try await subscriber.subscribe([.exact("wf:C")])
        await #expect {
            try await subscriber.waitUntilEffective(timeout: .milliseconds(100))
        } throws: { error in
            if case .timeout = error as? ClientError { true } else { false }
        }
        await subscriber.close()
    }

    @Test func pingMeasuresARoundTrip() async throws {
        let daemon = try Daemon.start()
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s"))
        #expect(try await subscriber.ping() > .zero)
        await subscriber.close()
    }

    @Test func closeEndsTheDeliveriesAndRefusesFurtherCalls() async throws {
        let daemon = try Daemon.start()
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s"))
        try await subscriber.subscribe([.exact("x")])
        await subscriber.close()
        #expect(try await collect(0, from: subscriber).isEmpty)
        await #expect(throws: ClientError.closed) { try await subscriber.add([.exact("y")]) }
        await subscriber.close()
    }

    @Test func connectingToNothingFailsAtOnce() async throws {
        let port = try unusedPort()
        await #expect {
            _ = try await Subscriber.connect(configuration(port, "urn:test:s"))
        } throws: { error in
            if case .connectionFailed(let endpoint, _) = error as? ClientError { endpoint == "127.0.0.1:\(port)" } else { false }
        }
    }

    @Test func withoutReconnectsALostConnectionEndsTheStreamWithTheError() async throws {
        let daemon = try Daemon.start()
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s", reconnects: false))
        try await subscriber.subscribe([.exact("x")])
        daemon.kill()
        await #expect {
            _ = try await collect(1, from: subscriber)
        } throws: { error in
            if case .connectionLost = error as? ClientError { true } else { false }
        }
    }

    @Test func bothSidesRestoreTheirStateWhenTheDaemonRestarts() async throws {
        let first = try Daemon.start()
        let port = first.port
        let subscriber = try await Subscriber.connect(configuration(port, "urn:test:s"))
        try await subscriber.subscribe([.exact("wf:A")])
        let publisher = try await Publisher.connect(configuration(port, "urn:test:p"))
        #expect(publisher.wants("wf:A"))

        try first.stop()
        let second = try Daemon.start(["--port", "\(port)"])
        #expect(second.port == port)
        try await waitUntil("both clients to reconnect") {
            subscriber.statistics.reconnects == 1 && publisher.statistics.reconnects == 1
        }
        _ = try await subscriber.waitUntilEffective()
        try await waitUntil("the restored subscription to reach the publisher") { publisher.wants("wf:A") }
        try publisher.publish([Pair("wf:A", "after restart"), Pair("noise", "n")])
        let delivery = try await collect(1, from: subscriber)[0]
        #expect(delivery.pairs == [Pair("wf:A", "after restart")])
        await publisher.close()
        await subscriber.close()
    }

    @Test func aLeasedSubscriberIsKeptAfterItClosesAndResumedByItsURI() async throws {
        let daemon = try Daemon.start()
        var leased = configuration(daemon.port, "urn:test:leased")
        leased.leaseSeconds = 600
        let subscriber = try await Subscriber.connect(leased)
        try await subscriber.subscribe([.exact("wf:A")])
        await subscriber.close()

        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p"))
        #expect(publisher.wants("wf:A"))
        // The same URI takes the kept profile back: deliveries flow without a new SUB.
        let again = try await Subscriber.connect(leased)
        try publisher.publish([Pair("wf:A", "kept"), Pair("wf:B", "not wanted")])
        #expect(try await collect(1, from: again)[0].pairs == [Pair("wf:A", "kept")])
        try await again.unsubscribe()
        try await waitUntil("the publisher to hear of the UNSUB") { !publisher.wants("wf:A") }
        await again.close()
        await publisher.close()
    }

    @Test func aBrokerThatGoesSilentIsGivenUpAfterUnansweredKeepalivePings() async throws {
        let broker = try BlackHoleBroker()
        var settings = configuration(broker.port, "urn:test:s", reconnects: false)
        // Long enough that a loaded machine's stalls (CI saw 150 ms) don't end the
        // connection before the fake goes silent, stretched in a sanitized build; it
        // still gives up within 1.2 s (unsanitized) after.
        settings.pingInterval = .milliseconds(400) * testTimeScale
        let subscriber = try await Subscriber.connect(settings)
        #expect(try await subscriber.subscribe([.exact("x")]) == 1)
        await #expect {
            _ = try await collect(0, from: subscriber.deliveries, "the end of the deliveries", timeout: 15)
        } throws: { error in
            if case .connectionLost(_, let reason) = error as? ClientError { reason.contains("keepalive") } else { false }
        }
        try await waitUntil("the client to close its end") { broker.sawEndOfStream }
        // Two PINGs are queued after the broker went silent; the second may be
        // dropped unwritten when the machine is slow enough that the writer
        // runs only after the third interval. On a loaded machine one more may
        // have been sent while `+OK SUB` was on its way: it reaches the broker
        // after it went silent and is never answered, but the `+OK SUB` reset
        // the client's count, so two more still follow before it gives up.
        let crossed = 1
        #expect(broker.pingsWhileSilent >= 1 && broker.pingsWhileSilent <= settings.maxOutstandingPings + crossed)
        let statistics = subscriber.statistics
        let unanswered = statistics.keepalivePingsSent - statistics.keepalivePingsAnswered
        #expect(unanswered >= UInt64(settings.maxOutstandingPings)
            && unanswered <= UInt64(settings.maxOutstandingPings + crossed))
    }

    @Test func idleClientsStayConnectedBecauseTheBrokerAnswersKeepalivePings() async throws {
        let daemon = try Daemon.start()
        var subscriberSettings = configuration(daemon.port, "urn:test:s")
        // Three answered PINGs take 1.5 s; a client gives up only after 1.5 s of silence,
        // which a loaded machine's stalls don't reach (100 ms intervals did).
        subscriberSettings.pingInterval = .milliseconds(500)
        var publisherSettings = configuration(daemon.port, "urn:test:p")
        publisherSettings.pingInterval = .milliseconds(500)
        let subscriber = try await Subscriber.connect(subscriberSettings)
        try await subscriber.subscribe([.exact("x")])
        let publisher = try await Publisher.connect(publisherSettings)
        try await waitUntil("three keepalive pings answered on each side") {
            subscriber.statistics.keepalivePingsAnswered >= 3 && publisher.statistics.keepalivePingsAnswered >= 3
        }
        #expect(subscriber.statistics.reconnects == 0 && publisher.statistics.reconnects == 0)
        #expect(try await subscriber.ping() > .zero)
        try publisher.publish([Pair("x", "still here")])
        #expect(try await collect(1, from: subscriber)[0].pairs == [Pair("x", "still here")])
        await publisher.close()
        await subscriber.close()
    }

    @Test func backToBackPublishesShareWrites() async throws {
        let daemon = try Daemon.start()
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s"))
        try await subscriber.subscribe([.below("n")])
        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p"))
        let count = 20_000
        for index in 0..<count { try publisher.publish([Pair("n.i", String(index))]) }
        try await publisher.flush()
        let statistics = publisher.statistics
        #expect(statistics.messagesSent == UInt64(count))
        #expect(statistics.writeBatches < statistics.messagesSent)
        let deliveries = try await collect(count, from: subscriber, timeout: 60)
        #expect(deliveries.map(\.pairs[0].text) == (0..<count).map { String($0) })
        await publisher.close()
        await subscriber.close()
    }
}

/// The first `count` deliveries, failing after `timeout` seconds.
func collect(_ count: Int, from subscriber: Subscriber, timeout: Double = 10) async throws -> [Delivery] {
    try await collect(count, from: subscriber.deliveries, "\(count) deliveries", timeout: timeout)
}

/// The first `count` elements of `stream`, failing after `timeout` seconds (scaled by `testTimeScale`).
/// With `count` 0, waits for the stream to end.
func collect<Element: Sendable>(
    _ count: Int, from stream: AsyncThrowingStream<Element, any Error>, _ what: String, timeout: Double = 10
) async throws -> [Element] {
    let timeout = scaledTimeout(timeout)
    return try await withThrowingTaskGroup(of: [Element]?.self) { group in
        group.addTask {
            var elements: [Element] = []
            for try await element in stream {
                elements.append(element)
                if elements.count == count { break }
            }
            return elements
        }
        group.addTask {
            try await Task.sleep(for: .seconds(timeout))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let elements = first else {
            throw TestFailure("timed out after \(timeout) s waiting for \(what)")
        }
        return elements
    }
}

/// A port nothing listens on (bound, then released).
func unusedPort() throws -> UInt16 {
    let (socket, address) = try Listener.listen(host: "127.0.0.1", port: 0)
    socket.close()
    return address.port
}

/// A fake broker that answers `HELLO`, `PING` and `SUB` like the real one, and
/// once it has answered `SUB` never sends another byte and never closes: what a
/// client sees when the broker's host loses power or the network partitions (no
/// FIN, no RST). It answers pings until then so that a test task the scheduler
/// holds back between `connect` and `subscribe` does not lose the connection
/// early. Serves one connection on a thread of its own, for at most 20 s.
final class BlackHoleBroker: @unchecked Sendable {
    // @unchecked Sendable: `silentPings` and `ended` are only touched under `lock`.
    let port: UInt16
    private let listener: Socket
    private let lock = NSLock()
    private var silentPings = 0
    private var ended = false

    init() throws {
        let (listener, address) = try Listener.listen(host: "127.0.0.1", port: 0)
        self.listener = listener
        port = address.port
        Thread.detachNewThread { [self] in serve() }
    }

    /// The `PING`s that arrived after the broker went silent.
    var pingsWhileSilent: Int { lock.withLock { silentPings } }

    /// Whether the client closed the connection.
    var sawEndOfStream: Bool { lock.withLock { ended } }

    private func serve() {
        defer { listener.close() }
        // A safety net only: the fake ends when the client closes. Under a loaded
        // machine the test body can be held up for many seconds before it connects.
        let deadline = Date().addingTimeInterval(300)
        guard let connection = accept(before: deadline) else { return }
        defer { connection.close() }
        var input: [UInt8] = []
        var entriesLeft = 0
        var silent = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while deadline.timeIntervalSinceNow > 0 {
            var descriptor = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            switch buffer.withUnsafeMutableBytes({ connection.read(into: $0) }) {
            case let .transferred(count): input += buffer[..<count]
            case .wouldBlock: continue
            case .closed, .failed:
                lock.withLock { ended = true }
                return
            }
            while let newline = input.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: input[..<newline], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                input.removeSubrange(...newline)
                if silent {
                    if line.uppercased() == "PING" { lock.withLock { silentPings += 1 } }
                    continue
                }
                if entriesLeft > 0 {
                    entriesLeft -= 1
                    if entriesLeft == 0 { send("+OK SUB 1", on: connection); silent = true }
                    continue
                }
                let words = line.split(separator: " ")
                switch words.first?.uppercased() {
                case "HELLO": send("+OK HELLO \(words.count > 1 ? words[1] : "-") version=1 ack=0 lease=0", on: connection)
                case "PING": send("PONG", on: connection)
                case "SUB":
                    entriesLeft = words.count > 1 ? Int(words[1]) ?? 0 : 0
                    if entriesLeft == 0 { send("+OK SUB 1", on: connection); silent = true }
                default: break
                }
            }
        }
    }

    private func accept(before deadline: Date) -> Socket? {
        while deadline.timeIntervalSinceNow > 0 {
            var descriptor = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            if let (connection, _) = try? listener.accept() { return connection }
        }
        return nil
    }

    private func send(_ line: String, on connection: Socket) {
        try? Array((line + "\r\n").utf8).withUnsafeBytes { try connection.writeAll($0) }
    }
}
