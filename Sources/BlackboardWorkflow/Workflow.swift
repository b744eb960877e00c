// BlackboardWorkflow: the pure half of Blackboard's workflow engine (docs/WORKFLOWS.md).
// It reads no file, starts no process and opens no socket: callers hand it text and
// bytes, and get values back.
//
// How the engine uses this module
// -------------------------------
// 1. Load: read the file's bytes, `let workflow = try Workflow.parse(bytes:)` (a
//    `WorkflowError.invalidFile` holds every problem, each `rendered(file:)` as
//    FILE:LINE:COL: message); `DefinitionVersion.of(bytes)` is the `version`.
// 2. Compare: build a `DefinitionSummary(workflow:version:)`, load the one stored for the
//    same workflow name (`DefinitionSummary.decode`), and if `diff` is not empty publish
//    `EngineEvent.workflowChanged`. Store the new summary (`encoded()`).
// 3. State: `InstanceState(id:workflow:version:...)`, persisted with `encoded()` after
//    every transition; `InstanceState.decode` + `prepareForResume(workflow:)` on resume.
// 4. Loop: `Planner(workflow:maxParallel:)`, then repeatedly
//    `let plan = planner.plan(state.activities, now:, canceling:)` and apply it in field
//    order: `skip` and `cancel` (ActivityState.skip/cancel, publish Closed), `stop`
//    (signal the process groups), `overdue` (timeout: SIGTERM once, SIGKILL after grace),
//    `slept` (finish sleep activities as succeeded), `queued` (ActivityState.enqueue),
//    `start` (ActivityState.begin, spawn); stop when `plan.result` is set; otherwise wait
//    for a child to exit or until `plan.nextDueMs`. A finished attempt is recorded with
//    `ActivityState.finish`; `workflow.activities[i].retry.delayMs(afterFailedAttempts:)`
//    gives the Faulting event's `retry_in_ms`.
// 5. Publish: check `EventKind.concept` (or `ResourceKind.concept`) against the aggregate
//    profile first; only if wanted, build the `EngineEvent` / `ResourceSample` and call
//    `EventEncoding.pairs(...)` with an `EventContext`.
// 6. Track file: feed each line of `$BLACKBOARD_TRACK` to `TrackLine.parse(_:declared:)`
//    and publish its user pairs (`EventEncoding.pairs(user:context:)`) and, when asked,
//    a `ResourceSample` with phase `.user`.

/// A workflow file, loaded and validated: the definition an instance runs.
public struct Workflow: Sendable, Equatable {
    /// The `max_parallel` of a file that does not set one.
    public static let defaultMaxParallel = 4
    /// The range `max_parallel` must fall in.
    public static let maxParallelRange = 1...1024

    /// The `workflow:` name (`[A-Za-z0-9_.-]+`).
    public var name: String
    /// The `namespace:` (dotted), if given.
    public var namespace: String?
    /// The declared parameters with their default values.
    public var params: [String: String]
    /// The user concepts `emit` activities and the track file may publish, in file order.
    public var userConcepts: [String]
    /// The most activities running at once (the engine may override it).
    public var maxParallel: Int
    /// The activities in file order; an activity's index here is its identity for the
    /// planner and the instance state.
    public var activities: [Activity]
    /// The activity indices in a dependency order (every activity after its needs), ties
    /// broken by file order.
    public var order: [Int]

    /// The index of the activity called `name`.
    public func index(of name: String) -> Int? {
        activities.firstIndex { $0.name == name }
    }

    /// The declared parameters with `overrides` applied (e.g. from the command line).
    /// - Throws: `WorkflowError.unknownParam` for an override the file does not declare.
    public func params(overriding overrides: [String: String]) throws(WorkflowError) -> [String: String] {
        var result = params
        for name in overrides.keys.sorted() {
            guard params[name] != nil else { throw .unknownParam(name, known: params.keys.sorted()) }
            result[name] = overrides[name]
        }
        return result
    }
}
