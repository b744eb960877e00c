import BlackboardCore
import BlackboardProtocol
import BlackboardTLS
import Dispatch
import Synchronization

/// The engine under ``Publisher`` and ``Subscriber``: one logical session with
/// the broker that survives reconnects.
///
/// Threads: per connection a reader (blocking reads, decoding, dispatching
/// replies, and keepalive: its reads time out after the ping interval) and a
/// writer (draining the output buffer in batches), plus a short-lived connector
/// thread while (re)connecting. Keepalive needs no thread or timer of its own. All mutable state is in
/// ``SessionState`` behind one lock (``Locked``); continuations are resumed, streams fed
/// and threads woken only after the lock is released (see ``Effect``).
final class Session: Sendable {
    let configuration: ClientConfiguration
    let state: Locked<SessionState>
    /// Deliveries, in arrival order; finishes when the session closes.
    let deliveries: AsyncThrowingStream<Delivery, any Error>
    let deliveryContinuation: AsyncThrowingStream<Delivery, any Error>.Continuation
    let connectorStop = DispatchSemaphore(value: 0)
    let producerGate = DispatchSemaphore(value: 0)
    let deliveryCount = Atomic<UInt64>(0)
    let deliveredPairCount = Atomic<UInt64>(0)
    /// The TLS context every connection's handshake starts from (nil: plain
    /// TCP), or why it could not be made, which ``start()`` throws.
    let tlsContext: Result<TLSContext, ClientError>?

    /// A session that is not connected yet; call ``start()``.
    /// - Parameter registers: register as a publisher and filter by the aggregate profile.
    init(configuration: ClientConfiguration, registers: Bool) {
        self.configuration = configuration
        tlsContext = configuration.tls.map { tls in Result { () throws(ClientError) in try tls.makeContext() } }
        (deliveries, deliveryContinuation) = AsyncThrowingStream.makeStream(of: Delivery.self)
        state = Locked(SessionState(
            configuration: configuration, registers: registers, deliveries: deliveryContinuation,
            connectorStop: connectorStop, producerGate: producerGate))
    }

    /// Connects and completes the handshake (for a publisher: until the first
    /// `PROFILE` is applied). Throws the first failure; no retries.
    func start() async throws {
        try configuration.validate()
        _ = try tlsContext?.get()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            state.withLock { $0.startWaiter = continuation }
            spawnConnector(initial: true)
        }
    }

    /// Sends `QUIT`, waits for the answer (at most `closeTimeout`), and closes.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (effects, link) = state.withLock { $0.beginClose(waiter: continuation) }
            effects.run()
            guard let link else { return }
            let timeout = DispatchTimeInterval.nanoseconds(Int(clamping: configuration.closeTimeout.nanoseconds))
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
                self?.state.withLock { state -> [Effect] in
                    guard state.currentLink === link else { return [] }
                    return state.finishClose(nil)
                }.run()
            }
        }
    }

    /// Closes at once without `QUIT` (the owner went away).
    func terminate() {
        state.withLock { $0.finishClose(nil) }.run()
    }

    /// Sends `command` and waits for its reply, which `makeEntry` will receive.
    func request<Value: Sendable>(
        _ command: Command, _ makeEntry: (CheckedContinuation<Value, any Error>) -> PendingReply
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            state.withLock { state -> [Effect] in
                if let refusal = state.refusal { return [{ continuation.resume(throwing: refusal) }] }
                state.pending.append(makeEntry(continuation))
                return state.enqueue(command)
            }.run()
        }
    }

    /// Round trip of `PING`/`PONG`.
    func ping() async throws -> Duration {
        try await request(.ping) { .ping(.now, $0) }
    }

    /// Returns once everything queued before the call is written to the socket.
    func flush() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            state.withLock { $0.flush(continuation) }?()
        }
    }

    /// Filters and queues one message; blocks while the output is over its limit.
    func publish(_ pairs: [Pair]) throws -> PublishResult {
        try checkConcepts(pairs)
        while true {
            switch state.withLock({ $0.publish(pairs, confirmation: nil, mayBlock: true) }) {
            case let .done(result, effects):
                effects.run()
                return result
            case .blocked:
                producerGate.wait()
            case let .failed(error):
                throw error
            }
        }
    }

    /// Filters and queues one message, then waits for the broker's `+OK PUB`.
    func publishConfirmed(_ pairs: [Pair]) async throws -> PublishResult {
        guard configuration.acknowledgePublishes else {
            throw ClientError.invalidArgument("publishConfirmed needs ClientConfiguration.acknowledgePublishes")
        }
        try checkConcepts(pairs)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PublishResult, any Error>) in
            switch state.withLock({ $0.publish(pairs, confirmation: continuation, mayBlock: false) }) {
            case let .done(result, effects):
                effects.run()
                if !result.wasSent {
                    continuation.resume(returning: PublishResult(sentPairs: 0, droppedPairs: result.droppedPairs, deliveries: 0))
                }
            case .blocked:
                preconditionFailure("a publish that may not block reported .blocked")
            case let .failed(error):
                continuation.resume(throwing: error)
            }
        }
    }

    private func checkConcepts(_ pairs: [Pair]) throws(ClientError) {
        if let (concept, error) = SourceFilter.invalidConcept(in: pairs) {
            throw .invalidArgument("concept '\(concept)': \(error)")
        }
    }

    /// A stream of profile updates that starts with the current profile.
    func profileUpdates() -> AsyncThrowingStream<ProfileUpdate, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ProfileUpdate.self)
        let id = state.withLock { state in
            defer { state.nextObserverID += 1 }
            return state.nextObserverID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.profileObservers.removeValue(forKey: id) }
        }
        let closed = state.withLock { state -> ClientError?? in
            if case .closed = state.phase { return .some(state.closeError) }
            state.profileObservers[id] = continuation
            if state.hasProfile {
                continuation.yield(ProfileUpdate(version: state.profileVersion, entries: state.profile.entries, delta: nil))
            }
            return .none
        }
        if case let .some(error) = closed { continuation.finish(throwing: error) }
        return stream
    }
}
