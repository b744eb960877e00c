import BlackboardCore
import BlackboardProtocol

/// A subscriber: a subscription profile on the broker and the stream of
/// messages separated for it.
///
/// ```swift
/// let subscriber = try await Subscriber.connect(ClientConfiguration(port: 7070))
/// try await subscriber.subscribe([.exact("wf:ActivityExecuting"), .below("res")])
/// try await subscriber.waitUntilEffective()          // publishers filter accordingly now
/// for try await delivery in subscriber.deliveries {
///     print(delivery.sequence, delivery.pairs.map(\.concept))
/// }
/// ```
///
/// Profile changes are sent in order and each waits for its `+OK`; the local
/// ``profile`` changes only when the broker confirmed. After a lost connection
/// the subscriber reconnects by itself and sends its confirmed profile again;
/// changes requested meanwhile are sent after that.
///
/// Thread-safe: call from any thread or task.
public final class Subscriber: Sendable {
    let session: Session

    /// The configuration the subscriber was connected with.
    public var configuration: ClientConfiguration { session.configuration }

    private init(session: Session) {
        self.session = session
    }

    deinit {
        session.terminate()
    }

    /// Connects and says `HELLO`; subscribe with ``subscribe(_:)`` or ``add(_:)``.
    /// - Throws: ``ClientError/connectionFailed(endpoint:reason:)`` when the
    ///   broker cannot be reached (no retries for the first connection).
    public static func connect(_ configuration: ClientConfiguration) async throws -> Subscriber {
        let session = Session(configuration: configuration, registers: false)
        try await session.start()
        return Subscriber(session: session)
    }

    /// The deliveries, in arrival order. One consumer only. The stream ends when
    /// the subscriber closes: normally after ``close()``, with the error when
    /// the connection was lost for good (reconnection off, or the URI taken over).
    public var deliveries: AsyncThrowingStream<Delivery, any Error> { session.deliveries }

    /// The callback form of ``deliveries``: calls `handler` with every delivery, in
    /// arrival order, from a task of its own, and `completion` once when the
    /// deliveries end (`nil` after ``close()``, the error when the connection was
    /// lost for good). Use either this or ``deliveries``, not both: each delivery
    /// goes to one consumer. Cancel the returned task to stop early.
    @discardableResult
    public func onDelivery(
        _ handler: @escaping @Sendable (Delivery) -> Void,
        completion: @escaping @Sendable ((any Error)?) -> Void = { _ in }
    ) -> Task<Void, Never> {
        let deliveries = session.deliveries
        return Task {
            do {
                for try await delivery in deliveries { handler(delivery) }
                completion(nil)
            } catch {
                completion(error)
            }
        }
    }

    /// The profile the broker confirmed last (`nil`: not a subscriber).
    public var profile: Set<ProfileEntry>? { session.state.withLock { $0.subscription } }

    /// Replaces the whole profile (`SUB`); an empty list keeps a subscriber that
    /// wants nothing. Returns the aggregate version that includes the change.
    @discardableResult
    public func subscribe(_ entries: [ProfileEntry]) async throws -> UInt64 {
        try await change(.subscribe(entries), .replace(entries))
    }

    /// Adds entries to the profile (`ADD`), becoming a subscriber if needed.
    @discardableResult
    public func add(_ entries: [ProfileEntry]) async throws -> UInt64 {
        try await change(.add(entries), .add(entries))
    }

    /// Removes entries from the profile (`DEL`); absent entries are ignored.
    @discardableResult
    public func remove(_ entries: [ProfileEntry]) async throws -> UInt64 {
        try await change(.remove(entries), .remove(entries))
    }

    /// Drops the profile (`UNSUB`): no longer a subscriber.
    @discardableResult
    public func unsubscribe() async throws -> UInt64 {
        try await change(.unsubscribe, .drop)
    }

    /// Waits until every registered publisher applied this subscriber's last
    /// profile change (`SYNC`), so none filters away what it asks for.
    /// - Returns: the aggregate version all publishers acknowledged.
    /// - Throws: ``ClientError/timeout(operation:)`` when the broker answers
    ///   `-ERR sync_timeout` (some publisher did not acknowledge within `timeout`).
    @discardableResult
    public func waitUntilEffective(timeout: Duration = .seconds(5)) async throws -> UInt64 {
        try await session.request(.sync(timeoutMilliseconds: timeout.milliseconds)) { .sync($0) }
    }

    /// The round-trip time of a `PING`.
    public func ping() async throws -> Duration {
        try await session.ping()
    }

    /// Counters since the subscriber was created.
    public var statistics: SubscriberStatistics {
        var statistics = SubscriberStatistics()
        statistics.deliveries = session.deliveryCount.load(ordering: .relaxed)
        statistics.pairs = session.deliveredPairCount.load(ordering: .relaxed)
        session.state.withLock { state in
            statistics.reconnects = state.reconnects
            statistics.keepalivePingsSent = state.keepalivePingsSent
            statistics.keepalivePingsAnswered = state.keepalivePingsAnswered
        }
        return statistics
    }

    /// Sends `QUIT`, waits for the broker to confirm, closes, and ends
    /// ``deliveries``. Idempotent.
    public func close() async {
        await session.close()
    }

    private func change(_ command: Command, _ change: PendingReply.SubscriptionChange) async throws -> UInt64 {
        try await session.request(command) { .profileChange(change, $0) }
    }
}
