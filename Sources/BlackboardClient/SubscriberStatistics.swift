/// Counters of a ``Subscriber`` since it was created.
public struct SubscriberStatistics: Sendable, Equatable {
    /// Deliveries received.
    public var deliveries: UInt64 = 0
    /// Pairs in those deliveries.
    public var pairs: UInt64 = 0
    /// Connections re-established after a loss.
    public var reconnects: UInt64 = 0
    /// Keepalive `PING`s sent after the broker was silent for
    /// ``ClientConfiguration/pingInterval``.
    public var keepalivePingsSent: UInt64 = 0
    /// Keepalive `PING`s the broker answered with `PONG`.
    public var keepalivePingsAnswered: UInt64 = 0

    /// All counters zero.
    public init() {}
}
