import Foundation

// The instance state file (the engine writes it after every transition, atomically):
// one JSON object, keys sorted, two-space indented, e.g.
//
//   {
//     "activities" : [ { "attempts" : 1, "name" : "fetch", "status" : "succeeded", ... } ],
//     "created_ms" : 1700000000000,
//     "definition_path" : "/home/me/clean.yaml",
//     "format" : 1,
//     "id" : "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
//     ...
//   }
//
// `format` is 1; a reader refuses other values. Times are Unix milliseconds.

/// The persisted state of one workflow instance.
public struct InstanceState: Sendable, Equatable, Codable {
    /// The `format` this code writes and reads.
    public static let currentFormat = 1

    /// The file format (``currentFormat``).
    public var format: Int
    /// The instance id (a UUID string).
    public var id: String
    /// The `workflow:` name.
    public var workflow: String
    /// The definition version (``DefinitionVersion``) the instance runs.
    public var version: String
    /// The workflow file the instance was started from.
    public var definitionPath: String
    /// The parameters in effect (declared defaults with overrides applied).
    public var params: [String: String]
    /// The directory activities run in (and relative paths start from).
    public var workDirectory: String
    /// When the instance was created (Unix ms).
    public var createdMs: Int64
    /// When it started running (Unix ms); the latest start after a resume.
    public var startedMs: Int64?
    /// When it finished (Unix ms); nil while unfinished.
    public var finishedMs: Int64?
    /// The result, once finished.
    public var result: WorkflowResult?
    /// The last event sequence number used (so a resumed instance continues the sequence).
    public var seq: UInt64
    /// One state per activity, in the workflow's file order.
    public var activities: [ActivityState]

    enum CodingKeys: String, CodingKey {
        case format, id, workflow, version, params, result, seq, activities
        case definitionPath = "definition_path"
        case workDirectory = "work_directory"
        case createdMs = "created_ms"
        case startedMs = "started_ms"
        case finishedMs = "finished_ms"
    }

    /// A new instance of `workflow` with every activity pending.
    public init(
        id: String, workflow: Workflow, version: String, definitionPath: String, params: [String: String],
        workDirectory: String, createdMs: Int64
    ) {
        self.format = Self.currentFormat
        self.id = id
        self.workflow = workflow.name
        self.version = version
        self.definitionPath = definitionPath
        self.params = params
        self.workDirectory = workDirectory
        self.createdMs = createdMs
        self.seq = 0
        self.activities = workflow.activities.map { ActivityState(name: $0.name) }
    }

    /// The state as UTF-8 JSON: keys sorted, indented, ending in a newline.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain strings, integers and arrays cannot fail.
        return Array(try! encoder.encode(self)) + [0x0A]
    }

    /// Reads a state written by ``encoded()``.
    /// - Throws: `WorkflowError.invalidState` when the bytes are not such a state.
    public static func decode(_ bytes: some Collection<UInt8>) throws(WorkflowError) -> InstanceState {
        let state: InstanceState
        do {
            state = try JSONDecoder().decode(InstanceState.self, from: Data(bytes))
        } catch {
            throw .invalidState("instance state does not decode: \(error)")
        }
        guard state.format == currentFormat else {
            throw .invalidState("instance state format \(state.format), expected \(currentFormat)")
        }
        return state
    }

    /// Prepares an interrupted or finished instance to run again, and returns the names
    /// of the activities kept as done (for `wf.workflow.Loaded`).
    ///
    /// Succeeded activities stay done. A skipped activity stays skipped only if every
    /// activity it needs stays done (else its condition is decided again). Everything else
    /// (running, failed, canceled, pending) goes back to pending with its attempts reset
    /// to 0: a resume gives each such activity a fresh retry budget. The instance loses its
    /// finish time and result; its sequence number carries on.
    /// - Throws: `WorkflowError.invalidState` when the activities are not `workflow`'s.
    public mutating func prepareForResume(workflow: Workflow) throws(WorkflowError) -> [String] {
        guard activities.map(\.name) == workflow.activities.map(\.name) else {
            throw .invalidState("the instance's activities are not those of workflow '\(workflow.name)' as loaded now")
        }
        var done = [Bool](repeating: false, count: activities.count)
        for index in workflow.order {
            let needsDone = workflow.activities[index].needIndices.allSatisfy { done[$0] }
            switch activities[index].status {
            case .succeeded: done[index] = true
            case .skipped where needsDone: done[index] = true
            default: activities[index] = ActivityState(name: activities[index].name)
            }
        }
        finishedMs = nil
        result = nil
        return activities.indices.filter { done[$0] }.map { activities[$0].name }
    }
}
