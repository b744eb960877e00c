import BlackboardCore
import BlackboardProtocol

/// A publisher that filters at the source (seed 004 §3.1).
///
/// It registers with the broker (`REG`), keeps the aggregate subscription
/// profile that the broker pushes (`PROFILE`, then a `DELTA` per change),
/// acknowledges each version (`ACK`), and drops the pairs that no subscriber
/// wants before they reach the socket: a message nobody wants costs no bytes
/// on the wire at all.
///
/// ```swift
/// let publisher = try await Publisher.connect(ClientConfiguration(port: 7070))
/// let result = try publisher.publish([Pair("wf:ActivityExecuting", "run-42/step-3"), Pair("res:CPU", "87")])
/// print(result.sentPairs, result.droppedPairs)
/// try await publisher.flush()
/// await publisher.close()
/// ```
///
/// Publishing only appends to an output buffer; a writer thread hands whatever
/// accumulated to the socket in one write, so back-to-back publishes share
/// system calls. After a lost connection the publisher reconnects by itself and
/// registers again; until the new `PROFILE` arrives it keeps filtering with the
/// last profile it knew, never sending unfiltered.
///
/// Thread-safe: call from any thread or task.
public final class Publisher: Sendable {
    let session: Session

    /// The configuration the publisher was connected with.
    public var configuration: ClientConfiguration { session.configuration }

    private init(session: Session) {
        self.session = session
    }

    deinit {
        session.terminate()
    }

    /// Connects, says `HELLO`, and (when `filtering`) registers and waits for
    /// the first `PROFILE`, so the first publish is already filtered.
    ///
    /// - Parameter filtering: `false` publishes every pair without registering
    ///   (no `REG`, no profile): for tools that must not depend on subscribers.
    /// - Throws: ``ClientError/connectionFailed(endpoint:reason:)`` when the
    ///   broker cannot be reached (there are no retries for the first connection),
    ///   ``ClientError/serverError(code:message:)`` when it refuses the handshake.
    public static func connect(_ configuration: ClientConfiguration, filtering: Bool = true) async throws -> Publisher {
        let session = Session(configuration: configuration, registers: filtering)
        try await session.start()
        return Publisher(session: session)
    }

    /// Whether the publisher filters by the aggregate profile.
    public var isFiltering: Bool { session.state.withLock { $0.registers } }

    /// The aggregate subscription profile applied last.
    public var profile: ConceptFilter { session.state.withLock { $0.profile } }

    /// The version of ``profile``.
    public var profileVersion: UInt64 { session.state.withLock { $0.profileVersion } }

    /// Whether some subscriber wants `concept`: lets a caller skip computing a
    /// value nobody will receive. Always true when not filtering.
    public func wants(_ concept: String) -> Bool {
        session.state.withLock { !$0.registers || $0.profile.matches(concept) }
    }

    /// The profile as it changes: first the current profile, then one update per
    /// `DELTA` (and a full one after each reconnect). Ends when the publisher closes,
    /// with an error if it closed because of one.
    public func profileUpdates() -> AsyncThrowingStream<ProfileUpdate, any Error> {
        session.profileUpdates()
    }

    /// Publishes one message of `pairs` (in order), minus the pairs no
    /// subscriber wants; sends nothing when none is left.
    ///
    /// Returns as soon as the frame is queued; ``flush()`` waits until it is
    /// written. Blocks the calling thread only while more than
    /// ``ClientConfiguration/maxPendingBytes`` wait to be written. While
    /// reconnecting, messages are kept (up to that limit) and sent after the
    /// new handshake.
    ///
    /// - Throws: ``ClientError/invalidArgument(_:)`` for a concept that breaks the
    ///   grammar (the broker would refuse the message), ``ClientError/closed``,
    ///   ``ClientError/connectionLost(endpoint:reason:)`` when the reconnect buffer is full.
    @discardableResult
    public func publish(_ pairs: [Pair]) throws -> PublishResult {
        try session.publish(pairs)
    }

    /// Publishes like ``publish(_:)`` and waits for the broker's `+OK PUB`, whose
    /// delivery count lands in ``PublishResult/deliveries``. Needs
    /// ``ClientConfiguration/acknowledgePublishes``.
    public func publishConfirmed(_ pairs: [Pair]) async throws -> PublishResult {
        try await session.publishConfirmed(pairs)
    }

    /// Returns once every byte queued before the call has been written to the
    /// socket (not that the broker processed it: ``close()`` waits for that).
    public func flush() async throws {
        try await session.flush()
    }

    /// The round-trip time of a `PING`; it also proves that the broker has
    /// processed everything published before.
    public func ping() async throws -> Duration {
        try await session.ping()
    }

    /// Counters since the publisher was created.
    public var statistics: PublisherStatistics {
        session.state.withLock { state in
            var statistics = state.publisherStatistics
            statistics.keepalivePingsSent = state.keepalivePingsSent
            statistics.keepalivePingsAnswered = state.keepalivePingsAnswered
            return statistics
        }
    }

    /// Sends `QUIT` after everything queued, waits for the broker to confirm (so
    /// every earlier publish was processed), and closes. Idempotent.
    public func close() async {
        await session.close()
    }
}
