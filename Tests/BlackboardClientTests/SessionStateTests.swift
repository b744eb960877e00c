@testable import BlackboardClient
import BlackboardCore
import BlackboardProtocol
import BlackboardTransport
import Dispatch
import Testing

/// The session's protocol logic, driven frame by frame without sockets: what it
/// queues for the broker (decoded with the shared `CommandDecoder`) in answer to
/// what the broker sends.
@Suite struct SessionStateTests {
    private static func makeState(registers: Bool, acknowledge: Bool = false) -> SessionState {
        var configuration = ClientConfiguration(uri: "urn:test:client")
        configuration.acknowledgePublishes = acknowledge
        let (_, deliveries) = AsyncThrowingStream.makeStream(of: Delivery.self)
        return SessionState(
            configuration: configuration, registers: registers, deliveries: deliveries,
            connectorStop: DispatchSemaphore(value: 0), producerGate: DispatchSemaphore(value: 0))
    }

    /// A link whose socket is never used: the tests read the output buffer instead.
    private static func makeLink(_ generation: UInt64) -> Link {
        Link(stream: .plain(Socket(fd: -1)), generation: generation)
    }

    /// Takes the queued output and decodes it into commands.
    private static func drain(_ state: inout SessionState) throws -> [Command] {
        var decoder = CommandDecoder()
        decoder.append(contentsOf: state.output)
        state.settledBytes += UInt64(state.output.count)
        state.output.removeAll()
        var commands: [Command] = []
        while let command = try decoder.next() { commands.append(command) }
        return commands
    }

    private static func publication(_ pairs: [Pair]) -> Command {
        .publish(Publication(pairs: pairs.map { (concept: $0.concept, value: $0.value) }))
    }

    /// A publisher state past its handshake, with the profile `entries` at `version`.
    private static func registeredPublisher(_ entries: [ProfileEntry], version: UInt64) throws -> (SessionState, Link) {
        var state = makeState(registers: true)
        let link = makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: ["urn:test:client"]), on: link)
        _ = state.handle(.ok(verb: "REG", arguments: []), on: link)
        _ = state.handle(.profile(version: version, entries: entries), on: link)
        _ = try drain(&state)
        return (state, link)
    }

    @Test func publisherHandshakeIsHelloThenRegister() throws {
        var state = Self.makeState(registers: true)
        state.install(Self.makeLink(1))
        let commands = try Self.drain(&state)
        #expect(commands.count == 2)
        guard case let .hello(hello) = commands.first else { throw TestFailure("expected HELLO, got \(commands)") }
        #expect(hello.uri == "urn:test:client" && !hello.acknowledgePublishes)
        #expect(commands.last == .register)
        #expect(!state.handshakeComplete)
    }

    @Test func everyProfileVersionIsAcknowledgedOnceApplied() throws {
        var (state, link) = try Self.registeredPublisher([.exact("wf:A")], version: 1)
        #expect(state.handshakeComplete)
        #expect(state.profile == ConceptFilter([.exact("wf:A")]))
        _ = state.handle(.delta(ProfileDelta(version: 2, added: [.below("res")], removed: [.exact("wf:A")])), on: link)
        #expect(try Self.drain(&state) == [.acknowledge(version: 2)])
        #expect(state.profile == ConceptFilter([.below("res")]) && state.profileVersion == 2)
    }

    @Test func publishSendsOnlyWantedPairsAndNothingWhenNoneIsWanted() throws {
        var (state, _) = try Self.registeredPublisher([.exact("wf:A"), .below("res")], version: 1)
        let mixed = [Pair("wf:A", "x"), Pair("noise", "n"), Pair("res.cpu", "87")]
        guard case let .done(result, _) = state.publish(mixed, confirmation: nil, mayBlock: true) else {
            throw TestFailure("publish refused")
        }
        #expect(result == PublishResult(sentPairs: 2, droppedPairs: 1))
        #expect(try Self.drain(&state) == [Self.publication([Pair("wf:A", "x"), Pair("res.cpu", "87")])])

        guard case let .done(none, _) = state.publish([Pair("noise", "n")], confirmation: nil, mayBlock: true) else {
            throw TestFailure("publish refused")
        }
        #expect(none == PublishResult(sentPairs: 0, droppedPairs: 1))
        #expect(state.output.isEmpty)
        #expect(state.publisherStatistics.messagesSent == 1 && state.publisherStatistics.messagesSuppressed == 1)
        #expect(state.publisherStatistics.pairsDropped == 2 && state.publisherStatistics.pairsSent == 2)
    }

    @Test func theWriterTakesEverythingQueuedInOneBatchAndIsWokenOnce() throws {
        var (state, link) = try Self.registeredPublisher([.all], version: 1)
        var batch: [UInt8] = []
        #expect(state.writerStep(for: link, batch: &batch, park: false) == .retry && !state.writerIdle)
        #expect(state.writerStep(for: link, batch: &batch, park: true) == .wait && state.writerIdle)
        var wakeUps = 0
        for index in 0..<100 {
            guard case let .done(_, effects) = state.publish([Pair("n", String(index))], confirmation: nil, mayBlock: true) else {
                throw TestFailure("publish refused")
            }
            wakeUps += effects.count
        }
        #expect(wakeUps == 1)
        #expect(state.writerStep(for: link, batch: &batch, park: true) == .write)
        #expect(state.output.isEmpty)
        var decoder = CommandDecoder()
        decoder.append(contentsOf: batch)
        var commands: [Command] = []
        while let command = try decoder.next() { commands.append(command) }
        #expect(commands == (0..<100).map { Self.publication([Pair("n", String($0))]) })
        _ = state.settle(batch.count, on: link)
        #expect(state.pendingBytes == 0 && state.publisherStatistics.writeBatches == 1)
    }

    @Test func anUnfilteredSessionSendsEverything() throws {
        var state = Self.makeState(registers: false)
        state.install(Self.makeLink(1))
        _ = try Self.drain(&state)
        guard case let .done(result, _) = state.publish([Pair("any", "1")], confirmation: nil, mayBlock: true) else {
            throw TestFailure("publish refused")
        }
        #expect(result.sentPairs == 1 && result.droppedPairs == 0)
        #expect(try Self.drain(&state) == [Self.publication([Pair("any", "1")])])
    }

    @Test func afterALostConnectionTheLastProfileFiltersUntilTheNewOneArrives() throws {
        var (state, link) = try Self.registeredPublisher([.exact("wf:A")], version: 3)
        let (_, reconnect) = state.connectionLost(link, reason: "test")
        #expect(reconnect)
        // In the gap: still filtered by version 3's profile, and kept for the new connection.
        _ = state.publish([Pair("wf:A", "gap"), Pair("noise", "n")], confirmation: nil, mayBlock: true)
        let second = Self.makeLink(2)
        state.install(second)
        let commands = try Self.drain(&state)
        #expect(commands.count == 3)
        #expect(commands.dropFirst().elementsEqual([.register, Self.publication([Pair("wf:A", "gap")])]))
        // Between REG and the new PROFILE the old filter still holds.
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: second)
        _ = state.handle(.ok(verb: "REG", arguments: []), on: second)
        _ = state.publish([Pair("noise", "n")], confirmation: nil, mayBlock: true)
        #expect(state.output.isEmpty)
        _ = state.handle(.profile(version: 1, entries: [.exact("noise")]), on: second)
        _ = state.publish([Pair("noise", "n"), Pair("wf:A", "x")], confirmation: nil, mayBlock: true)
        #expect(try Self.drain(&state) == [.acknowledge(version: 1), Self.publication([Pair("noise", "n")])])
        #expect(state.reconnects == 1)
    }

    @Test func framesOfAnOldLinkAreIgnored() throws {
        var (state, link) = try Self.registeredPublisher([.exact("wf:A")], version: 1)
        _ = state.connectionLost(link, reason: "test")
        state.install(Self.makeLink(2))
        _ = try Self.drain(&state)
        _ = state.handle(.profile(version: 9, entries: []), on: link)
        #expect(state.output.isEmpty && state.profileVersion == 1)
    }

    @Test func brokerPingsAreAnsweredWithPong() throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = try Self.drain(&state)
        _ = state.handle(.ping, on: link)
        #expect(try Self.drain(&state) == [.pong])
    }

    @Test func keepalivePingsAreSentOnlyOnTheCurrentConnectedLink() throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: link)
        _ = try Self.drain(&state)
        _ = state.sendKeepalivePing(on: link)
        #expect(try Self.drain(&state) == [.ping])
        #expect(state.keepalivePingsSent == 1 && state.pending.count == 1)
        _ = state.handle(.pong, on: link)
        #expect(state.keepalivePingsAnswered == 1 && state.pending.isEmpty)

        _ = state.connectionLost(link, reason: "test")
        _ = state.sendKeepalivePing(on: link)
        #expect(state.output.isEmpty && state.keepalivePingsSent == 1)
        let second = Self.makeLink(2)
        state.install(second)
        _ = try Self.drain(&state)
        _ = state.sendKeepalivePing(on: link)
        #expect(state.output.isEmpty && state.keepalivePingsSent == 1)
    }

    /// Replies come in command order, so with a caller's `PING` between two
    /// keepalive `PING`s the middle `PONG` is the caller's and the others are
    /// consumed silently.
    @Test func keepalivePongsAreNeverTakenForACallersPong() async throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: link)
        _ = try Self.drain(&state)
        let roundTrip = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Duration, any Error>) in
            _ = state.sendKeepalivePing(on: link)
            state.pending.append(.ping(.now, continuation))
            _ = state.enqueue(.ping)
            _ = state.sendKeepalivePing(on: link)
            #expect((try? Self.drain(&state)) == [.ping, .ping, .ping])
            #expect(state.handle(.pong, on: link).isEmpty && state.keepalivePingsAnswered == 1)
            let callers = state.handle(.pong, on: link)
            #expect(state.keepalivePingsAnswered == 1)
            #expect(state.handle(.pong, on: link).isEmpty && state.keepalivePingsAnswered == 2)
            #expect(state.pending.isEmpty && state.keepalivePingsSent == 2)
            if callers.count == 1 {
                callers.run()
            } else {
                continuation.resume(throwing: TestFailure("the caller's PONG went elsewhere: \(callers.count) effects"))
            }
        }
        #expect(roundTrip >= .zero)
    }

    @Test func subscriberRestoresItsConfirmedProfileAfterReconnecting() async throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: link)
        #expect(state.handshakeComplete)
        let version = try await withCheckedThrowingContinuation { continuation in
            state.pending.append(.profileChange(.add([.exact("wf:A"), .below("res")]), continuation))
            _ = state.enqueue(.add([.exact("wf:A"), .below("res")]))
            state.handle(.ok(verb: "ADD", arguments: ["4"]), on: link).run()
        }
        #expect(version == 4 && state.subscription == [.exact("wf:A"), .below("res")])
        _ = try Self.drain(&state)
        _ = state.connectionLost(link, reason: "test")
        state.install(Self.makeLink(2))
        let commands = try Self.drain(&state)
        #expect(commands.count == 2)
        #expect(commands.last == .subscribe([.below("res"), .exact("wf:A")]))
    }

    @Test func syncTimeoutFailsTheSyncWithATimeout() async throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: link)
        await #expect(throws: ClientError.timeout(operation: "SYNC: 1 publishers behind")) {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt64, any Error>) in
                state.pending.append(.sync(continuation))
                state.handle(.error(code: "sync_timeout", message: "1 publishers behind"), on: link).run()
            }
        }
    }

    @Test func refusedChangesLeaveTheProfileAlone() async throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: link)
        await #expect(throws: ClientError.serverError(code: "bad_entry", message: "nope")) {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt64, any Error>) in
                state.pending.append(.profileChange(.replace([.exact("x")]), continuation))
                state.handle(.error(code: "bad_entry", message: "nope"), on: link).run()
            }
        }
        #expect(state.subscription == nil)
    }

    @Test func fatalErrorsBecomeTheReasonOfTheLoss() throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: link)
        _ = state.handle(.error(code: "replaced", message: "by another connection"), on: link)
        let (_, reconnect) = state.connectionLost(link, reason: "closed by the broker")
        #expect(!reconnect)
        #expect(state.closeError == .serverError(code: "replaced", message: "by another connection"))
    }

    @Test func closingQueuesQuitAndRefusesNewCommands() async throws {
        var state = Self.makeState(registers: false)
        let link = Self.makeLink(1)
        state.install(link)
        _ = state.handle(.ok(verb: "HELLO", arguments: []), on: link)
        _ = try Self.drain(&state)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            _ = state.beginClose(waiter: continuation)
            #expect(state.refusal == .closed)
            #expect((try? Self.drain(&state)) == [.quit])
            state.handle(.ok(verb: "QUIT", arguments: []), on: link).run()
        }
        if case .closed = state.phase {} else { Issue.record("not closed: \(state.phase)") }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
