// The status and activity queries. Each returns the JSON the HTTP answers carry
// (docs/WORKFLOWS.md, "Monitoring service", lists every field).

/// Which instances `/instances` lists.
public struct InstanceFilter: Equatable, Sendable {
    /// Only this state (`running`, `succeeded`, `failed`, `aborted`).
    public var state: String?
    /// Only this workflow.
    public var workflow: String?
    /// At most this many, latest started first.
    public var limit: Int

    /// A filter; nil fields select everything.
    public init(state: String? = nil, workflow: String? = nil, limit: Int = 100) {
        self.state = state
        self.workflow = workflow
        self.limit = limit
    }

    /// The states an instance can be in.
    public static let states: Set<String> = ["running", "succeeded", "failed", "aborted"]
}

extension MonitorStore {
    /// `{"instances":[status…],"total":N}`: the instances `filter` selects, latest
    /// started first (`total` counts all that match, beyond the limit too).
    public func instances(_ filter: InstanceFilter, now: Int64) throws -> JSONValue {
        try read { database in
            let values: [SQLiteValue] = [SQLiteValue(filter.state), SQLiteValue(filter.workflow)]
            let rows = try database.rows(Self.statusSQL + """
                WHERE (?1 IS NULL OR i.state = ?1) AND (?2 IS NULL OR i.workflow = ?2)
                ORDER BY coalesce(i.started, i.created, i.first_event) DESC, i.instance LIMIT ?3
                """, values + [.integer(Int64(filter.limit))])
            let total = try database.scalar("""
                SELECT count(*) FROM instances i WHERE (?1 IS NULL OR i.state = ?1) AND (?2 IS NULL OR i.workflow = ?2)
                """, values)?.integer ?? 0
            return ["instances": .array(rows.map { Self.status($0, now: now) }), "total": .integer(total)]
        }
    }

    /// One instance's status with an `activities` array (one object per activity run);
    /// nil when the instance is unknown.
    public func instance(_ id: String, now: Int64) throws -> JSONValue? {
        try read { database in
            guard let row = try database.rows(Self.statusSQL + "WHERE i.instance = ?1", [.text(id)]).first,
                  case var .object(status) = Self.status(row, now: now)
            else { return nil }
            let runs = try database.rows("""
                SELECT activity, type, needs, state, attempt, started, executing, closed, result, exit_code,
                       duration_ms, queued_ms, attempts, peak_rss_bytes, cpu_seconds
                FROM activity_runs WHERE instance = ?1 ORDER BY coalesce(initialized, started, closed), activity
                """, [.text(id)])
            status["activities"] = .array(runs.map { run in
                let state = run[3].text ?? ""
                return [
                    "activity": JSONValue(run[0].text), "type": JSONValue(run[1].text),
                    "needs": (try? JSONValue.parse(Array((run[2].text ?? "[]").utf8))) ?? [],
                    "state": JSONValue(state), "attempt": JSONValue(run[4].integer), "started": JSONValue(run[5].integer),
                    "finished": JSONValue(run[7].integer), "result": JSONValue(run[8].text),
                    "exit_code": JSONValue(run[9].integer), "duration_ms": JSONValue(run[10].integer),
                    "elapsed_ms": state == "running" ? JSONValue(run[6].integer.map { now - $0 }) : .null,
                    "queued_ms": JSONValue(run[11].integer), "attempts": JSONValue(run[12].integer),
                    "peak_rss_bytes": JSONValue(run[13].integer), "cpu_seconds": JSONValue(run[14].real),
                ]
            })
            return .object(status)
        }
    }

    /// `{"activities":[…]}`: one row per (workflow, activity) with closed runs, its
    /// statistics over all versions (no histogram), `versions` and `last_run`.
    public func activities(workflow: String?) throws -> JSONValue {
        let groups = try closedRuns(workflow: workflow, activity: nil, version: nil)
        return ["activities": .array(groups.map { group in
            var row = ActivitySummary(group.allRuns).json(histogram: false)
            row["workflow"] = .string(group.workflow)
            row["activity"] = .string(group.activity)
            row["versions"] = JSONValue(group.versions.count)
            row["last_run"] = JSONValue(group.versions.compactMap(\.lastRun).max())
            return .object(row)
        })]
    }

    /// `{"activity":NAME,"workflows":[{"workflow","all",“versions”:[…]}]}`: the
    /// statistics of activity `name` with histograms, over all versions (`all`) and
    /// per version (latest run first); nil when it has no closed run.
    public func activity(_ name: String, workflow: String?, version: String?) throws -> JSONValue? {
        let groups = try closedRuns(workflow: workflow, activity: name, version: version)
        guard !groups.isEmpty else { return nil }
        return ["activity": .string(name), "workflows": .array(groups.map { group in
            var all = ActivitySummary(group.allRuns).json(histogram: true)
            all["versions"] = JSONValue(group.versions.count)
            let versions = group.versions.sorted { ($0.lastRun ?? 0, $1.version) > ($1.lastRun ?? 0, $0.version) }
            return ["workflow": .string(group.workflow), "all": .object(all), "versions": .array(versions.map { entry in
                var row = ActivitySummary(entry.runs).json(histogram: true)
                row["version"] = .string(entry.version)
                row["last_run"] = JSONValue(entry.lastRun)
                return .object(row)
            })]
        })]
    }

    /// Closed runs grouped by workflow and activity (sorted), then by version.
    private func closedRuns(workflow: String?, activity: String?, version: String?) throws -> [ActivityRuns] {
        let rows = try read { database in
            try database.rows("""
                SELECT workflow, activity, version, result, duration_ms, queued_ms, peak_rss_bytes, cpu_seconds, closed
                FROM activity_runs
                WHERE state = 'closed' AND (?1 IS NULL OR workflow = ?1) AND (?2 IS NULL OR activity = ?2)
                    AND (?3 IS NULL OR version = ?3)
                ORDER BY workflow, activity, version, closed
                """, [SQLiteValue(workflow), SQLiteValue(activity), SQLiteValue(version)])
        }
        var groups: [ActivityRuns] = []
        for row in rows {
            let (workflow, activity, version) = (row[0].text ?? "", row[1].text ?? "", row[2].text ?? "")
            let record = RunRecord(result: row[3].text ?? "Unknown", durationMilliseconds: row[4].integer,
                                   queuedMilliseconds: row[5].integer, peakRSSBytes: row[6].integer, cpuSeconds: row[7].real)
            if groups.last?.workflow != workflow || groups.last?.activity != activity {
                groups.append(ActivityRuns(workflow: workflow, activity: activity))
            }
            groups[groups.count - 1].add(record, version: version, closed: row[8].integer)
        }
        return groups
    }

    /// The columns ``status(_:now:)`` reads, before a WHERE clause.
    static let statusSQL = """
        SELECT i.instance, i.workflow, i.version, i.state, coalesce(i.started, i.created, i.first_event), i.finished,
               i.duration_ms, i.activities_total, i.reason, i.last_event,
               (SELECT count(*) FROM activity_runs r WHERE r.instance = i.instance AND r.state = 'closed'),
               (SELECT count(*) FROM activity_runs r WHERE r.instance = i.instance),
               (SELECT json_group_array(activity) FROM
                   (SELECT activity FROM activity_runs r WHERE r.instance = i.instance AND r.state = 'running' ORDER BY activity))
        FROM instances i

        """

    /// One instance's status object from a row of ``statusSQL``.
    static func status(_ row: [SQLiteValue], now: Int64) -> JSONValue {
        let state = row[3].text ?? ""
        let started = row[4].integer
        let known = row[11].integer ?? 0
        return [
            "instance": JSONValue(row[0].text), "workflow": JSONValue(row[1].text), "version": JSONValue(row[2].text),
            "state": JSONValue(state), "started": JSONValue(started), "finished": JSONValue(row[5].integer),
            "duration_ms": JSONValue(row[6].integer),
            "elapsed_ms": state == "running" ? JSONValue(started.map { now - $0 }) : .null,
            "activities_done": JSONValue(row[10].integer), "activities_total": .integer(max(row[7].integer ?? known, known)),
            "running": (try? JSONValue.parse(Array((row[12].text ?? "[]").utf8))) ?? [],
            "reason": JSONValue(row[8].text), "last_event": JSONValue(row[9].integer),
        ]
    }
}

/// The closed runs of one workflow's activity, by version.
struct ActivityRuns {
    /// The runs of one version, and when the latest closed.
    struct Version {
        let version: String
        var runs: [RunRecord] = []
        var lastRun: Int64?
    }

    let workflow: String
    let activity: String
    var versions: [Version] = []

    /// Every run, all versions.
    var allRuns: [RunRecord] { versions.flatMap(\.runs) }

    /// Adds a run of `version` (runs arrive grouped by version) that closed at `closed`.
    mutating func add(_ run: RunRecord, version: String, closed: Int64?) {
        if versions.last?.version != version { versions.append(Version(version: version)) }
        versions[versions.count - 1].runs.append(run)
        if let closed { versions[versions.count - 1].lastRun = max(versions[versions.count - 1].lastRun ?? closed, closed) }
    }
}
