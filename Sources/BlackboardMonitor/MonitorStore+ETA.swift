// The estimated time to completion of an instance (docs/WORKFLOWS.md, "ETA").
//
// 1. The DAG: the instance's own activity runs with the `needs` of their Initialized
//    events. When Created announced more activities than the instance has shown, the
//    missing ones (and their needs) come from the past instance of the same workflow
//    that showed the most activities, preferring the same version (`dag_from_history`).
// 2. Each activity's estimated duration: the nearest-rank median of the `duration_ms`
//    of Succeeded runs of the same workflow and activity in other instances, of the
//    same version if there are any (`source` "version"), else of any version
//    ("workflow"), else the store's default ("default", and `uses_default` is true).
// 3. Progress from the runs: closed → done; executing → running for `now − executing`
//    (the start of its latest attempt); otherwise pending.
// 4. CompletionEstimate takes the longest remaining path. An instance that is not
//    running has nothing remaining.

/// An instance's estimated time to completion and how it was reached.
public struct InstanceETA: Equatable, Sendable {
    /// The instance, its workflow, version and state (`running`, …).
    public let instance: String
    public let workflow: String
    public let version: String
    public let state: String
    /// The monitor's clock when it estimated (Unix ms).
    public let now: Int64
    /// When the instance started (Unix ms).
    public let started: Int64?
    /// When it finished, if it is not running (Unix ms).
    public let finished: Int64?
    /// The estimate over the DAG.
    public let estimate: CompletionEstimate
    /// How many past durations each activity's estimate rests on.
    public let samples: [String: Int]
    /// Whether activities missing from the instance were taken from a past instance.
    public let dagFromHistory: Bool
    /// The estimate used for activities with no past run.
    public let defaultEstimateMilliseconds: Int64

    /// The answer of `/eta/ID`.
    public var json: JSONValue {
        let elapsed = started.map { (finished ?? now) - $0 }
        return [
            "instance": .string(instance), "workflow": .string(workflow), "version": .string(version),
            "state": .string(state), "now": .integer(now), "started": JSONValue(started),
            "elapsed_ms": JSONValue(elapsed),
            "remaining_ms": .integer(estimate.remainingMilliseconds),
            "estimated_finish": .integer(finished ?? now + estimate.remainingMilliseconds),
            "estimated_total_ms": JSONValue(elapsed.map { $0 + estimate.remainingMilliseconds }),
            "critical_path": .array(estimate.criticalPath.map(JSONValue.string)),
            "uses_default": .bool(estimate.usesDefault), "dag_from_history": .bool(dagFromHistory),
            "cyclic": .bool(estimate.isCyclic), "default_estimate_ms": .integer(defaultEstimateMilliseconds),
            "statistic": "median",
            "activities": .array(estimate.rows.map { row in
                let activity = row.activity
                var state: String, elapsed: Int64?
                switch activity.progress {
                case .done: (state, elapsed) = ("done", nil)
                case let .running(milliseconds): (state, elapsed) = ("running", milliseconds)
                case .pending: (state, elapsed) = ("pending", nil)
                }
                let done = activity.progress == .done
                return [
                    "activity": .string(activity.name), "needs": .array(activity.needs.map(JSONValue.string)),
                    "state": .string(state), "elapsed_ms": JSONValue(elapsed),
                    "estimate_ms": done ? .null : .integer(activity.estimateMilliseconds),
                    "source": .string(activity.source.rawValue), "samples": JSONValue(samples[activity.name] ?? 0),
                    "remaining_ms": .integer(row.remainingMilliseconds), "finish_ms": .integer(row.finishMilliseconds),
                ]
            }),
        ]
    }
}

extension MonitorStore {
    /// The estimated time to completion of instance `id` at time `now` (method at the
    /// top of this file); nil when the instance is unknown.
    public func eta(_ id: String, now: Int64) throws -> InstanceETA? {
        try read { database in
            guard let instance = try database.rows("""
                SELECT workflow, version, state, coalesce(started, created, first_event), activities_total, finished
                FROM instances WHERE instance = ?1
                """, [.text(id)]).first else { return nil }
            let (workflow, version, state) = (instance[0].text ?? "", instance[1].text ?? "", instance[2].text ?? "")
            var runs: [(name: String, needs: [String], progress: CompletionEstimate.Progress)] = try database.rows(
                "SELECT activity, needs, state, executing FROM activity_runs WHERE instance = ?1", [.text(id)]
            ).map { row in
                let progress: CompletionEstimate.Progress = switch row[2].text {
                case "closed": .done
                case "running": .running(elapsedMilliseconds: now - (row[3].integer ?? now))
                default: .pending
                }
                return (row[0].text ?? "", Self.names(row[1].text), state == "running" ? progress : .done)
            }
            var dagFromHistory = false
            if let total = instance[4].integer, total > runs.count {
                let known = Set(runs.map(\.name))
                for row in try Self.historicalDAG(workflow: workflow, version: version, excluding: id, in: database)
                where !known.contains(row.name) {
                    runs.append((row.name, row.needs, state == "running" ? .pending : .done))
                    dagFromHistory = true
                }
            }
            let history = try Self.succeededDurations(workflow: workflow, excluding: id, in: database)
            var samples: [String: Int] = [:]
            let activities = runs.map { run in
                let (estimate, source, count) = estimateFor(run.name, version: version, history: history)
                samples[run.name] = count
                return CompletionEstimate.Activity(name: run.name, needs: run.needs, progress: run.progress,
                                                   estimateMilliseconds: estimate, source: run.progress == .done ? .none : source)
            }
            return InstanceETA(instance: id, workflow: workflow, version: version, state: state, now: now,
                               started: instance[3].integer, finished: state == "running" ? nil : instance[5].integer,
                               estimate: CompletionEstimate(activities), samples: samples,
                               dagFromHistory: dagFromHistory, defaultEstimateMilliseconds: defaultEstimateMilliseconds)
        }
    }

    /// The estimate for `activity`, its source and how many durations it rests on.
    private func estimateFor(_ activity: String, version: String, history: [String: [String: [Int64]]])
        -> (Int64, CompletionEstimate.Source, Int) {
        if let same = history[activity]?[version], let median = DurationStatistics.median(same) {
            return (median, .version, same.count)
        }
        let all = (history[activity] ?? [:]).values.flatMap { $0 }
        if let median = DurationStatistics.median(all) { return (median, .workflow, all.count) }
        return (defaultEstimateMilliseconds, .default, 0)
    }

    /// `duration_ms` of Succeeded runs of `workflow` outside instance `id`, by activity and version.
    private static func succeededDurations(workflow: String, excluding id: String, in database: SQLiteDatabase) throws
        -> [String: [String: [Int64]]] {
        var history: [String: [String: [Int64]]] = [:]
        for row in try database.rows("""
            SELECT activity, version, duration_ms FROM activity_runs
            WHERE workflow = ?1 AND instance != ?2 AND state = 'closed' AND result = 'Succeeded' AND duration_ms IS NOT NULL
            """, [.text(workflow), .text(id)]) {
            history[row[0].text ?? "", default: [:]][row[1].text ?? "", default: []].append(row[2].integer ?? 0)
        }
        return history
    }

    /// The activities and needs of the past instance of `workflow` that showed the most
    /// activities (same version first, then the latest).
    private static func historicalDAG(workflow: String, version: String, excluding id: String,
                                      in database: SQLiteDatabase) throws -> [(name: String, needs: [String])] {
        try database.rows("""
            SELECT activity, needs FROM activity_runs WHERE instance = (
                SELECT r.instance FROM activity_runs r JOIN instances i ON i.instance = r.instance
                WHERE r.workflow = ?1 AND r.instance != ?3
                GROUP BY r.instance ORDER BY i.version = ?2 DESC, count(*) DESC, max(i.last_event) DESC LIMIT 1)
            """, [.text(workflow), .text(version), .text(id)]).map { ($0[0].text ?? "", names($0[1].text)) }
    }

    /// The strings of a JSON array text (`needs`).
    static func names(_ text: String?) -> [String] {
        guard let text, let value = try? JSONValue.parse(Array(text.utf8)) else { return [] }
        return (value.array ?? []).compactMap(\.string)
    }
}
