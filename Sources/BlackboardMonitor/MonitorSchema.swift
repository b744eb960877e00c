// The monitor's database (SQLite, WAL mode). `PRAGMA user_version` holds the schema
// version; ``MonitorSchema/migrate(_:)`` brings an older file up to date in one
// transaction and refuses a newer one. All times are Unix milliseconds.
//
// Version 1:
//
//   events          every event pair received, as received; (instance, seq, concept) is
//                   unique, so a repeated delivery is stored once and counted once.
//     id INTEGER PRIMARY KEY, instance, workflow, version, activity, attempt, concept,
//     time (the event's), seq, received (when the monitor stored it), value (the JSON text)
//
//   instances       one row per workflow instance, kept up to date from its events.
//     instance PRIMARY KEY, workflow, version,
//     state         running | succeeded | failed | aborted
//     created, started, finished, duration_ms,
//     activities_total (Created's `activities`), reason (Aborted/Terminated reason or
//     Exception error), first_event, last_event
//
//   activity_runs   one row per (instance, activity): the latest run of that activity.
//     instance, activity, workflow, version, type, needs (JSON array of names),
//     state         pending | running | closed
//     attempt (latest), initialized, started (first Executing), executing (latest
//     Executing), closed, result, exit_code, duration_ms, queued_ms, attempts,
//     peak_rss_bytes (largest `peak_rss_bytes` of During and After memory samples),
//     cpu_seconds (user + system of After CPU samples, summed over attempts)

/// Creates and upgrades the monitor's schema.
public enum MonitorSchema {
    /// The schema version this build writes.
    public static let version: Int64 = 1

    /// The statements of each version, applied in order from the file's `user_version`.
    static let migrations: [Int64: String] = [
        1: """
            CREATE TABLE events (
                id INTEGER PRIMARY KEY,
                instance TEXT NOT NULL,
                workflow TEXT,
                version TEXT,
                activity TEXT,
                attempt INTEGER,
                concept TEXT NOT NULL,
                time INTEGER NOT NULL,
                seq INTEGER,
                received INTEGER NOT NULL,
                value TEXT NOT NULL
            );
            CREATE UNIQUE INDEX events_identity ON events(instance, seq, concept);
            CREATE INDEX events_time ON events(instance, time);
            CREATE TABLE instances (
                instance TEXT PRIMARY KEY,
                workflow TEXT NOT NULL DEFAULT '',
                version TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'aborted')),
                created INTEGER,
                started INTEGER,
                finished INTEGER,
                duration_ms INTEGER,
                activities_total INTEGER,
                reason TEXT,
                first_event INTEGER NOT NULL,
                last_event INTEGER NOT NULL
            );
            CREATE INDEX instances_workflow ON instances(workflow, version);
            CREATE TABLE activity_runs (
                instance TEXT NOT NULL,
                activity TEXT NOT NULL,
                workflow TEXT NOT NULL DEFAULT '',
                version TEXT NOT NULL DEFAULT '',
                type TEXT,
                needs TEXT NOT NULL DEFAULT '[]',
                state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'closed')),
                attempt INTEGER,
                initialized INTEGER,
                started INTEGER,
                executing INTEGER,
                closed INTEGER,
                result TEXT,
                exit_code INTEGER,
                duration_ms INTEGER,
                queued_ms INTEGER,
                attempts INTEGER,
                peak_rss_bytes INTEGER,
                cpu_seconds REAL,
                PRIMARY KEY (instance, activity)
            );
            CREATE INDEX activity_runs_activity ON activity_runs(workflow, activity, version);
            """,
    ]

    /// Brings `database` to ``version``: applies the missing migrations in one
    /// transaction; throws for a file written by a newer monitor.
    public static func migrate(_ database: SQLiteDatabase) throws {
        let current = try database.userVersion()
        if current > version {
            throw MonitorError.newerSchema(found: current, supported: version)
        }
        guard current < version else { return }
        try database.transaction {
            for next in (current + 1)...version {
                try database.execute(migrations[next]!)
            }
            try database.setUserVersion(version)
        }
    }
}
