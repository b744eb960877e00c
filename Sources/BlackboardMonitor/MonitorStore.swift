import BlackboardClient

/// The monitor's event store: every event received, and the instances and activity
/// runs kept up to date from them (MonitorSchema.swift), answering the queries of
/// MonitorStore+Queries.swift and MonitorStore+ETA.swift.
///
/// Thread-safe: one SQLite connection behind a lock, so ingestion (the subscriber's
/// task) and queries (the HTTP threads) take turns; each ingested delivery is one
/// transaction.
public final class MonitorStore: Sendable {
    /// The connection and the counters, guarded together.
    struct State {
        let database: SQLiteDatabase
        var counters = Counters()
    }

    /// What ingestion has seen since the store was opened.
    public struct Counters: Equatable, Sendable {
        /// Event pairs stored.
        public var stored = 0
        /// Event pairs already stored before (same instance, seq and concept): ignored.
        public var duplicates = 0
        /// Pairs that are not events (value not a JSON object, or no `instance`): ignored.
        public var rejected = 0
        /// When the latest pair was stored (Unix ms).
        public var lastStored: Int64?
    }

    private let state: Locked<State>
    /// The database file.
    public let path: String
    /// The estimate for an activity with no past run, in ms (see ``eta(_:now:)``).
    public let defaultEstimateMilliseconds: Int64

    /// Opens (creating or upgrading) the database at `path` (`":memory:"` for a
    /// private one), in WAL mode.
    public init(path: String, defaultEstimateMilliseconds: Int64 = 60_000) throws {
        let database = try SQLiteDatabase(path: path)
        try database.enableWriteAheadLog()
        try database.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        try MonitorSchema.migrate(database)
        self.state = Locked(State(database: database))
        self.path = path
        self.defaultEstimateMilliseconds = defaultEstimateMilliseconds
    }

    /// The ingestion counters.
    public var counters: Counters { state.withLock { $0.counters } }

    /// Stores the event pairs of `delivery` (one transaction) and updates what they
    /// change; pairs that are not events are counted as rejected. `received` is the
    /// monitor's clock (Unix ms). Returns how many pairs were stored.
    @discardableResult
    public func ingest(_ delivery: Delivery, received: Int64) throws -> Int {
        var events: [MonitorEvent] = []
        var rejected = 0
        for pair in delivery.pairs {
            do {
                events.append(try MonitorEvent(concept: pair.concept, value: pair.value, fallbackTime: Int64(delivery.timestamp)))
            } catch {
                rejected += 1
            }
        }
        return try ingest(events, received: received, rejected: rejected)
    }

    /// Stores `events` in one transaction; see ``ingest(_:received:)``.
    @discardableResult
    public func ingest(_ events: [MonitorEvent], received: Int64, rejected: Int = 0) throws -> Int {
        try state.withLock { state in
            let database = state.database
            let stored = try events.isEmpty ? 0 : database.transaction {
                try events.reduce(0) { count, event in try Self.apply(event, received: received, to: database) ? count + 1 : count }
            }
            state.counters.stored += stored
            state.counters.duplicates += events.count - stored
            state.counters.rejected += rejected
            if stored > 0 { state.counters.lastStored = received }
            return stored
        }
    }

    /// Runs `body` with the connection, under the lock (queries).
    func read<Result: Sendable>(_ body: (SQLiteDatabase) throws -> Result) throws -> Result {
        try state.withLock { state in try body(state.database) }
    }
}
