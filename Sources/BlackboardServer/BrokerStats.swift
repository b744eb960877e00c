import BlackboardProtocol

/// Counters kept by the broker. Mutated only on the broker's queue; read a
/// copy through ``Broker/statistics()``.
public struct BrokerStats: Sendable, Equatable {
    /// Connections accepted since start.
    public var connectionsTotal: UInt64 = 0
    /// Connections refused at `max_connections`.
    public var connectionsRejected: UInt64 = 0
    /// Messages received (`PUB` frames accepted).
    public var messagesIn: UInt64 = 0
    /// Pairs received in accepted messages.
    public var pairsIn: UInt64 = 0
    /// Bytes read from clients.
    public var bytesIn: UInt64 = 0
    /// Bytes written to clients.
    public var bytesOut: UInt64 = 0
    /// Messages delivered (one per subscriber per message).
    public var deliveries: UInt64 = 0
    /// Pairs delivered, summed over subscribers.
    public var pairsOut: UInt64 = 0
    /// Received pairs that matched no profile and were dropped.
    public var pairsFiltered: UInt64 = 0
    /// Deliveries owed to subscribers with no live connection.
    public var deliveriesMissed: UInt64 = 0
    /// Connections cut off as slow consumers.
    public var slowConsumerDisconnects: UInt64 = 0
    /// Connections closed for unanswered pings.
    public var staleDisconnects: UInt64 = 0
    /// TLS connections dropped because their handshake did not finish in time.
    public var handshakeTimeouts: UInt64 = 0
    /// Authentications that failed: wrong or unknown credentials, in HELLO or
    /// on the admin port.
    public var authFailures: UInt64 = 0
    /// Aggregate profile pushes (`PROFILE` and `DELTA` frames) sent.
    public var profilePushes: UInt64 = 0
    /// Records appended to the journal since start.
    public var journalRecords: UInt64 = 0
    /// fsyncs of the journal since start.
    public var fsyncs: UInt64 = 0
    /// Snapshots written since start (threshold, recovery and shutdown).
    public var snapshots: UInt64 = 0
    /// Failed journal appends, fsyncs and snapshots.
    public var persistenceErrors: UInt64 = 0
    /// Subscribers and publishers loaded from the data directory at start.
    public var restoredSubscribers: UInt64 = 0
    public var restoredPublishers: UInt64 = 0
    /// Away registrations removed because their lease ran out.
    public var leasesExpired: UInt64 = 0
    /// Away registrations taken back by a client within their lease.
    public var leasesResumed: UInt64 = 0
    /// Protocol errors answered, by code.
    public var protocolErrors: [ErrorCode: UInt64] = [:]

    public init() {}
}
