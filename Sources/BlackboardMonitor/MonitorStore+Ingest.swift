// How each event changes the instances and activity_runs tables (MonitorSchema.swift).
//
// Any event: the instance row exists (created `running` on first sight, so a monitor
// started mid-run still tracks the instance), its first and last event times widen.
//   wf.workflow.Created      created, activities_total
//   wf.workflow.Started      started (the first one)
//   wf.workflow.Completed    succeeded (result Succeeded) or failed; finished, duration_ms
//   wf.workflow.Aborted, Terminated   aborted, if still running; finished, duration, reason
//   wf.workflow.Exception    reason
//   wf.workflow.Loaded, Resumed       running again (a resumed instance)
// Activity and resource events: the run row exists (`pending` on first sight).
//   wf.activity.Initialized  type, needs, initialized
//   wf.activity.Executing    running; attempt, started (first), executing (latest), queued_ms
//                            (a closed run executing again is a re-run: its result is cleared)
//   wf.activity.Faulting     attempt
//   wf.activity.Closed       closed; result, exit_code, duration_ms, queued_ms, attempts
//   res.memory (During, After)  peak_rss_bytes = max(peak_rss_bytes, the sample's)
//   res.cpu (After)             cpu_seconds += user_seconds + system_seconds
// Everything else is stored in `events` only.

extension MonitorStore {
    /// Stores one event and applies it; false when it was stored before (a duplicate).
    /// Runs inside the caller's transaction.
    static func apply(_ event: MonitorEvent, received: Int64, to database: SQLiteDatabase) throws -> Bool {
        let inserted = try database.run("""
            INSERT OR IGNORE INTO events (instance, workflow, version, activity, attempt, concept, time, seq, received, value)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """, [.text(event.instance), SQLiteValue(event.workflow), SQLiteValue(event.version), SQLiteValue(event.activity),
                  SQLiteValue(event.attempt), .text(event.concept), .integer(event.time), SQLiteValue(event.seq),
                  .integer(received), .text(event.text)])
        guard inserted == 1 else { return false }
        try database.run("""
            INSERT INTO instances (instance, workflow, version, state, first_event, last_event)
            VALUES (?1, ?2, ?3, 'running', ?4, ?4)
            ON CONFLICT (instance) DO UPDATE SET
                workflow = CASE WHEN workflow = '' THEN excluded.workflow ELSE workflow END,
                version = CASE WHEN version = '' THEN excluded.version ELSE version END,
                first_event = min(first_event, excluded.first_event),
                last_event = max(last_event, excluded.last_event)
            """, [.text(event.instance), .text(event.workflow ?? ""), .text(event.version ?? ""), .integer(event.time)])
        switch event.kind {
        case let .workflow(name): try applyWorkflow(name, event, to: database)
        case let .activity(name): try applyActivity(name, event, to: database)
        case let .resource(name): try applyResource(name, event, to: database)
        case .other: break
        }
        return true
    }

    private static func applyWorkflow(_ name: String, _ event: MonitorEvent, to database: SQLiteDatabase) throws {
        let instance = SQLiteValue.text(event.instance)
        let time = SQLiteValue.integer(event.time)
        switch name {
        case "Created":
            try database.run("UPDATE instances SET created = ?2, activities_total = coalesce(?3, activities_total) WHERE instance = ?1",
                             [instance, time, SQLiteValue(event["activities"]?.int64)])
        case "Started":
            try database.run("UPDATE instances SET started = coalesce(started, ?2) WHERE instance = ?1", [instance, time])
        case "Completed":
            let state = event["result"]?.string == "Succeeded" ? "succeeded" : "failed"
            try database.run("""
                UPDATE instances SET state = ?2, finished = ?3,
                    duration_ms = coalesce(?4, ?3 - coalesce(started, created, first_event))
                WHERE instance = ?1
                """, [instance, .text(state), time, SQLiteValue(event["duration_ms"]?.int64)])
        case "Aborted", "Terminated":
            try database.run("""
                UPDATE instances SET state = 'aborted', finished = ?2,
                    duration_ms = ?2 - coalesce(started, created, first_event), reason = coalesce(?3, reason)
                WHERE instance = ?1 AND state = 'running'
                """, [instance, time, SQLiteValue(event["reason"]?.string)])
        case "Exception":
            try database.run("UPDATE instances SET reason = ?2 WHERE instance = ?1", [instance, SQLiteValue(event["error"]?.string)])
        case "Loaded", "Resumed":
            try database.run("""
                UPDATE instances SET state = 'running', finished = NULL, duration_ms = NULL
                WHERE instance = ?1 AND state != 'running'
                """, [instance])
        default:
            break
        }
    }

    private static func applyActivity(_ name: String, _ event: MonitorEvent, to database: SQLiteDatabase) throws {
        guard let activity = event.activity else { return }
        try ensureRun(event, activity: activity, in: database)
        let key: [SQLiteValue] = [.text(event.instance), .text(activity)]
        let time = SQLiteValue.integer(event.time)
        switch name {
        case "Initialized":
            let needs = JSONValue.array((event["needs"]?.array ?? []).compactMap { $0.string.map(JSONValue.string) })
            try database.run("""
                UPDATE activity_runs SET type = coalesce(?3, type), needs = ?4, initialized = ?5
                WHERE instance = ?1 AND activity = ?2
                """, key + [SQLiteValue(event["type"]?.string), .text(needs.text), time])
        case "Executing":
            try database.run("""
                UPDATE activity_runs SET state = 'running', attempt = coalesce(?3, attempt),
                    started = CASE WHEN state = 'closed' THEN ?4 ELSE coalesce(started, ?4) END, executing = ?4,
                    queued_ms = coalesce(?5, queued_ms), result = NULL, closed = NULL, duration_ms = NULL
                WHERE instance = ?1 AND activity = ?2
                """, key + [SQLiteValue(event.attempt), time, SQLiteValue(event["queued_ms"]?.int64)])
        case "Faulting":
            try database.run("UPDATE activity_runs SET attempt = coalesce(?3, attempt) WHERE instance = ?1 AND activity = ?2",
                             key + [SQLiteValue(event.attempt)])
        case "Closed":
            try database.run("""
                UPDATE activity_runs SET state = 'closed', result = ?3, exit_code = ?4,
                    duration_ms = coalesce(?5, ?8 - started), queued_ms = coalesce(?6, queued_ms),
                    attempts = coalesce(?7, attempt), closed = ?8
                WHERE instance = ?1 AND activity = ?2
                """, key + [.text(event["result"]?.string ?? "Unknown"), SQLiteValue(event["exit_code"]?.int64),
                            SQLiteValue(event["duration_ms"]?.int64), SQLiteValue(event["queued_ms"]?.int64),
                            SQLiteValue(event["attempts"]?.int64), time])
        default:
            break
        }
    }

    private static func applyResource(_ name: String, _ event: MonitorEvent, to database: SQLiteDatabase) throws {
        guard let activity = event.activity else { return }
        let phase = event["phase"]?.string
        switch name {
        case "memory" where phase == "During" || phase == "After":
            guard let peak = event["peak_rss_bytes"]?.int64 else { return }
            try ensureRun(event, activity: activity, in: database)
            try database.run("""
                UPDATE activity_runs SET peak_rss_bytes = max(coalesce(peak_rss_bytes, 0), ?3)
                WHERE instance = ?1 AND activity = ?2
                """, [.text(event.instance), .text(activity), .integer(peak)])
        case "cpu" where phase == "After":
            guard let user = event["user_seconds"]?.double, let system = event["system_seconds"]?.double else { return }
            try ensureRun(event, activity: activity, in: database)
            try database.run("""
                UPDATE activity_runs SET cpu_seconds = coalesce(cpu_seconds, 0) + ?3
                WHERE instance = ?1 AND activity = ?2
                """, [.text(event.instance), .text(activity), .real(user + system)])
        default:
            break
        }
    }

    private static func ensureRun(_ event: MonitorEvent, activity: String, in database: SQLiteDatabase) throws {
        try database.run("""
            INSERT INTO activity_runs (instance, activity, workflow, version, state) VALUES (?1, ?2, ?3, ?4, 'pending')
            ON CONFLICT (instance, activity) DO NOTHING
            """, [.text(event.instance), .text(activity), .text(event.workflow ?? ""), .text(event.version ?? "")])
    }
}
