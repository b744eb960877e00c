/// The estimated time to completion of a running instance: the longest remaining
/// path through its activity DAG. Pure: the store supplies the activities, their
/// progress and their estimated durations (``MonitorStore/eta(_:now:)``).
///
/// For each activity not yet done, its **remaining** time is its estimated duration
/// if it has not started, or the estimate less the time it has been running (never
/// below zero) if it runs. Its **finish**, counted from now, is its remaining time
/// plus the latest finish among the activities it `needs`; a done activity finishes
/// at 0. The instance's remaining time is the largest finish; the **critical path**
/// is the chain of unfinished activities that produces it, first to last.
///
/// Limits, by construction: every activity whose needs are met is assumed to run at
/// once (the engine's parallel limit is ignored), retries and `if:` conditions are not
/// foreseen (an activity that will be skipped still counts its estimate), and a
/// `needs` edge that closes a cycle, or names an unknown activity, is ignored
/// (``isCyclic`` reports the former).
public struct CompletionEstimate: Equatable, Sendable {
    /// How far one activity has come.
    public enum Progress: Equatable, Sendable {
        /// Closed (any result).
        case done
        /// Executing for this long.
        case running(elapsedMilliseconds: Int64)
        /// Not started.
        case pending
    }

    /// Where an activity's estimated duration came from.
    public enum Source: String, Equatable, Sendable {
        /// Past runs of the same workflow, activity and version.
        case version
        /// Past runs of the same workflow and activity, any version.
        case workflow
        /// No past run: the configured default.
        case `default`
        /// Not needed: the activity is done.
        case none
    }

    /// One activity as the estimate needs it.
    public struct Activity: Equatable, Sendable {
        /// The activity's name.
        public var name: String
        /// The activities it waits for.
        public var needs: [String]
        /// How far it has come.
        public var progress: Progress
        /// The expected duration of a whole run (ignored when done).
        public var estimateMilliseconds: Int64
        /// Where the estimate came from.
        public var source: Source

        /// An activity as the estimate needs it.
        public init(name: String, needs: [String], progress: Progress, estimateMilliseconds: Int64, source: Source) {
            self.name = name
            self.needs = needs
            self.progress = progress
            self.estimateMilliseconds = estimateMilliseconds
            self.source = source
        }
    }

    /// The result for one activity.
    public struct Row: Equatable, Sendable {
        /// The activity, as given.
        public let activity: Activity
        /// Its own remaining time.
        public let remainingMilliseconds: Int64
        /// When it is expected to finish, from now.
        public let finishMilliseconds: Int64
    }

    /// The instance's estimated remaining time.
    public let remainingMilliseconds: Int64
    /// The unfinished activities that determine it, in execution order.
    public let criticalPath: [String]
    /// One row per activity, sorted by name.
    public let rows: [Row]
    /// Whether some `needs` edge closed a cycle and was ignored.
    public let isCyclic: Bool

    /// Whether some unfinished activity's estimate is the default (no history).
    public var usesDefault: Bool {
        rows.contains { $0.activity.progress != .done && $0.activity.source == .default }
    }

    /// Estimates the remaining time of `activities` (names unique; a repeated name keeps the first).
    public init(_ activities: [Activity]) {
        var byName: [String: Activity] = [:]
        for activity in activities where byName[activity.name] == nil { byName[activity.name] = activity }
        var walk = Walk(byName: byName)
        let names = byName.keys.sorted()
        for name in names { _ = walk.finish(of: name) }

        rows = names.map { name in
            Row(activity: byName[name]!, remainingMilliseconds: Self.remaining(byName[name]!),
                finishMilliseconds: walk.finishes[name] ?? 0)
        }
        isCyclic = walk.cyclic
        let last = names.filter { byName[$0]!.progress != .done }.max { walk.finishes[$0]! < walk.finishes[$1]! }
        remainingMilliseconds = last.map { walk.finishes[$0]! } ?? 0
        var path: [String] = []
        var cursor = last
        while let name = cursor, !path.contains(name) {
            path.append(name)
            cursor = walk.edges[name, default: []]
                .filter { byName[$0]!.progress != .done }
                .sorted()
                .max { walk.finishes[$0]! < walk.finishes[$1]! }
        }
        criticalPath = path.reversed()
    }

    /// An activity's own remaining time.
    static func remaining(_ activity: Activity) -> Int64 {
        switch activity.progress {
        case .done: return 0
        case let .running(elapsed): return max(0, activity.estimateMilliseconds - max(0, elapsed))
        case .pending: return max(0, activity.estimateMilliseconds)
        }
    }

    /// The memoised depth-first walk that computes finishes.
    private struct Walk {
        let byName: [String: Activity]
        var finishes: [String: Int64] = [:]
        /// The needs edges kept (known, not closing a cycle), per activity.
        var edges: [String: [String]] = [:]
        var visiting: Set<String> = []
        var cyclic = false

        mutating func finish(of name: String) -> Int64 {
            if let known = finishes[name] { return known }
            let activity = byName[name]!
            guard activity.progress != .done else {
                finishes[name] = 0
                return 0
            }
            visiting.insert(name)
            var start: Int64 = 0
            var kept: [String] = []
            for need in activity.needs where byName[need] != nil {
                if visiting.contains(need) {
                    cyclic = true
                    continue
                }
                kept.append(need)
                start = max(start, finish(of: need))
            }
            visiting.remove(name)
            edges[name] = kept
            let finish = start + CompletionEstimate.remaining(activity)
            finishes[name] = finish
            return finish
        }
    }
}
