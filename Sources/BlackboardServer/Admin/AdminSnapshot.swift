import BlackboardProtocol

/// The broker's software version, reported by the admin port.
public enum BlackboardVersion {
    public static let string = "0.1.0-dev"
}

/// Everything `/stats` and `/metrics` report, copied on the broker's queue in
/// one go so both renderings are consistent.
public struct AdminSnapshot: Sendable, Equatable {
    /// One number the admin port reports: its `/stats` key, its metric name,
    /// kind and help text. One table feeds both renderings and the docs.
    public struct Field: Sendable, Equatable {
        public enum Kind: String, Sendable { case counter, gauge }
        /// The `/stats` key.
        public let key: String
        /// The Prometheus metric name (counters end in `_total`).
        public let metric: String
        public let kind: Kind
        public let help: String
        public let value: UInt64
    }

    public var version = BlackboardVersion.string
    public var uptimeSeconds: UInt64 = 0
    public var connections: UInt64 = 0
    public var subscribers: UInt64 = 0
    public var subscribersConnected: UInt64 = 0
    public var publishers: UInt64 = 0
    public var profileEntries: UInt64 = 0
    public var profileVersion: UInt64 = 0
    public var stats = BrokerStats()

    public init() {}

    /// The numbers, in report order.
    public var fields: [Field] {
        func gauge(_ key: String, _ value: UInt64, _ help: String) -> Field {
            Field(key: key, metric: "blackboard_" + key, kind: .gauge, help: help, value: value)
        }
        func counter(_ key: String, _ value: UInt64, _ help: String) -> Field {
            Field(key: key, metric: "blackboard_" + key + "_total", kind: .counter, help: help, value: value)
        }
        return [
            gauge("uptime_seconds", uptimeSeconds, "Seconds since the broker started."),
            gauge("connections_open", connections, "Client connections open now (admin connections excluded)."),
            counter("connections_accepted", stats.connectionsTotal, "Client connections accepted since start."),
            counter("connections_rejected", stats.connectionsRejected, "Connections refused at max_connections."),
            gauge("subscribers", subscribers, "Subscribers known (connected or leased)."),
            gauge("subscribers_connected", subscribersConnected, "Subscribers with a live connection."),
            gauge("publishers", publishers, "Registered publishers."),
            gauge("profile_entries", profileEntries, "Entries (concepts and branches) in the aggregate profile."),
            gauge("profile_version", profileVersion, "Version of the aggregate profile."),
            counter("messages_in", stats.messagesIn, "Messages received (PUB frames accepted)."),
            counter("pairs_in", stats.pairsIn, "Pairs received in accepted messages."),
            counter("bytes_in", stats.bytesIn, "Bytes read from clients."),
            counter("bytes_out", stats.bytesOut, "Bytes written to clients."),
            counter("deliveries", stats.deliveries, "Messages delivered, one per subscriber per message."),
            counter("pairs_out", stats.pairsOut, "Pairs delivered, summed over subscribers."),
            counter("pairs_filtered", stats.pairsFiltered, "Received pairs that matched no profile and were dropped."),
            counter("deliveries_missed", stats.deliveriesMissed, "Deliveries owed to subscribers with no live connection."),
            counter("profile_pushes", stats.profilePushes, "Aggregate profile pushes (PROFILE and DELTA frames) sent."),
            counter("slow_consumer_disconnects", stats.slowConsumerDisconnects, "Connections cut off as slow consumers."),
            counter("stale_disconnects", stats.staleDisconnects, "Connections closed for unanswered pings."),
        ]
    }

    /// Protocol errors answered, for every code (zero included), in the codes' order.
    public var protocolErrors: [(code: String, count: UInt64)] {
        ErrorCode.allCases.map { ($0.rawValue, stats.protocolErrors[$0] ?? 0) }
    }
}
