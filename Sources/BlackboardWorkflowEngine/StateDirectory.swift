import BlackboardWorkflow
import Foundation

/// Where the engine keeps its files (docs/WORKFLOWS.md, "Running workflows"):
///
///     ROOT/instances/ID/state.json                 the instance state, rewritten atomically after every transition
///     ROOT/instances/ID/work/                      the activities' working directory
///     ROOT/instances/ID/logs/ACTIVITY.ATTEMPT.log  each attempt's stdout and stderr
///     ROOT/instances/ID/track/ACTIVITY.ATTEMPT.jsonl  each attempt's $BLACKBOARD_TRACK
///     ROOT/definitions/WORKFLOW.json               the last definition run under that name (for wf.workflow.Changed)
public struct StateDirectory: Sendable {
    /// The root directory.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public func instance(_ id: String) -> String { root + "/instances/" + id }
    public func statePath(_ id: String) -> String { instance(id) + "/state.json" }
    public func workDirectory(_ id: String) -> String { instance(id) + "/work" }
    public func logPath(_ id: String, activity: String, attempt: Int) -> String {
        instance(id) + "/logs/\(activity).\(attempt).log"
    }
    public func trackPath(_ id: String, activity: String, attempt: Int) -> String {
        instance(id) + "/track/\(activity).\(attempt).jsonl"
    }
    func summaryPath(_ workflow: String) -> String { root + "/definitions/" + workflow + ".json" }

    /// Creates the instance's directories.
    public func prepare(_ id: String) throws {
        for directory in [workDirectory(id), instance(id) + "/logs", instance(id) + "/track", root + "/definitions"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// The state of instance `id`.
    public func loadState(_ id: String) throws -> InstanceState {
        guard let data = FileManager.default.contents(atPath: statePath(id)) else {
            throw EngineError.unknownInstance(id, root)
        }
        return try InstanceState.decode(Array(data))
    }

    /// Writes the state atomically (temp file, fsync, rename, fsync the directory).
    public func save(_ state: InstanceState) throws(EngineSystemError) {
        try AtomicFile.write(state.encoded(), to: statePath(state.id))
    }

    /// The summary of the last definition run under `workflow`, if any (unreadable counts as none).
    public func previousSummary(_ workflow: String) -> DefinitionSummary? {
        guard let data = FileManager.default.contents(atPath: summaryPath(workflow)) else { return nil }
        return try? DefinitionSummary.decode(Array(data))
    }

    /// Records `summary` as the last definition run under its workflow name.
    public func saveSummary(_ summary: DefinitionSummary) throws(EngineSystemError) {
        try AtomicFile.write(summary.encoded(), to: summaryPath(summary.workflow))
    }

    /// Every instance's state, oldest first (unreadable ones skipped).
    public func instances() -> [InstanceState] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: root + "/instances")) ?? []
        return ids.compactMap { try? loadState($0) }.sorted { $0.createdMs < $1.createdMs }
    }
}

/// Why the engine could not run or resume an instance.
public enum EngineError: Error, CustomStringConvertible {
    case unknownInstance(String, String)
    case definitionChanged(path: String, was: String, now: String)
    case alreadyFinished(String)

    public var description: String {
        switch self {
        case let .unknownInstance(id, root): return "no instance \(id) in \(root)/instances"
        case let .definitionChanged(path, was, now):
            return "\(path) changed since the instance started (version \(was), now \(now)); resume with --force to run the new definition"
        case let .alreadyFinished(id): return "instance \(id) has already finished"
        }
    }
}
