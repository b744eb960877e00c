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

    /// The data directory as the admin port reports it (`/stats` `storage`).
    public struct Storage: Sendable, Equatable {
        /// The directory's path.
        public var directory: String
        /// The fsync policy (`always`, `interval`, `never`).
        public var fsync: String
        /// The current journal's generation (+1 per snapshot).
        public var journalGeneration: UInt64
        /// The current journal's size in bytes.
        public var journalBytes: UInt64
        /// Why the directory stopped taking records; nil when healthy.
        public var failure: String?

        public init(directory: String, fsync: String, journalGeneration: UInt64, journalBytes: UInt64,
                    failure: String? = nil) {
            self.directory = directory
            self.fsync = fsync
            self.journalGeneration = journalGeneration
            self.journalBytes = journalBytes
            self.failure = failure
        }
    }

    public var version = BlackboardVersion.string
    public var uptimeSeconds: UInt64 = 0
    public var connections: UInt64 = 0
    /// Subscribers with a live connection, and away ones held by a lease.
    public var subscribersConnected: UInt64 = 0
    public var subscribersDisconnected: UInt64 = 0
    /// Publishers with a live connection, and away ones held by a lease.
    public var publishersConnected: UInt64 = 0
    public var publishersDisconnected: UInt64 = 0
    public var profileEntries: UInt64 = 0
    public var profileVersion: UInt64 = 0
    /// The data directory; nil when nothing is persisted.
    public var storage: Storage?
    public var stats = BrokerStats()

    public init() {}

    /// Subscribers known: connected or away.
    public var subscribers: UInt64 { subscribersConnected + subscribersDisconnected }
    /// Publishers known: connected or away.
    public var publishers: UInt64 { publishersConnected + publishersDisconnected }

    /// `/stats` `storage.persistence`: `disabled` (no data directory), `failed`
    /// (it stopped taking records; see `storage.error`) or `enabled`.
    public var persistence: String {
        guard let storage else { return "disabled" }
        return storage.failure == nil ? "enabled" : "failed"
    }

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
            gauge("subscribers", subscribers, "Subscribers known: connected, or away and held by a lease."),
            gauge("subscribers_connected", subscribersConnected, "Subscribers with a live connection."),
            gauge("subscribers_disconnected", subscribersDisconnected, "Away subscribers held by a lease."),
            gauge("publishers", publishers, "Registered publishers known: connected, or away and held by a lease."),
            gauge("publishers_connected", publishersConnected, "Registered publishers with a live connection."),
            gauge("publishers_disconnected", publishersDisconnected, "Away publishers held by a lease."),
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
            counter("handshake_timeouts", stats.handshakeTimeouts,
                    "TLS connections dropped because their handshake did not finish in time."),
            counter("auth_failures", stats.authFailures,
                    "Failed authentications (wrong or unknown credentials), client HELLOs and admin requests."),
            counter("leases_expired", stats.leasesExpired, "Away registrations removed because their lease ran out."),
            counter("leases_resumed", stats.leasesResumed, "Away registrations taken back by their client within the lease."),
            gauge("persistence_enabled", storage == nil ? 0 : 1, "1 when registrations are persisted in a data directory."),
            gauge("storage_healthy", storage?.failure == nil ? 1 : 0,
                  "0 while the data directory takes no records after a failure; 1 otherwise (also without one)."),
            counter("journal_records", stats.journalRecords, "Records appended to the journal since start."),
            gauge("journal_bytes", storage?.journalBytes ?? 0, "Size of the current journal in bytes (0 without storage)."),
            counter("fsyncs", stats.fsyncs, "fsyncs of the journal since start."),
            counter("snapshots", stats.snapshots, "Snapshots written since start (threshold, recovery, shutdown)."),
            counter("persistence_errors", stats.persistenceErrors, "Failed journal appends, fsyncs and snapshots."),
            gauge("restored_subscribers", stats.restoredSubscribers, "Subscribers loaded from the data directory at start."),
            gauge("restored_publishers", stats.restoredPublishers, "Publishers loaded from the data directory at start."),
        ]
    }

    /// Protocol errors answered, for every code (zero included), in the codes' order.
    public var protocolErrors: [(code: String, count: UInt64)] {
        ErrorCode.allCases.map { ($0.rawValue, stats.protocolErrors[$0] ?? 0) }
    }
}
