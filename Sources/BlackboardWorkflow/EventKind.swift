/// Every kind of engine event; the raw value is its concept (docs/WORKFLOWS.md, "Concepts").
///
/// The tracking service checks `kind.concept` against the aggregate profile before it
/// builds an ``EngineEvent`` or any bytes, so that an unwanted event costs nothing.
public enum EventKind: String, Sendable, CaseIterable {
    case workflowCreated = "wf.workflow.Created"
    case workflowStarted = "wf.workflow.Started"
    case workflowIdle = "wf.workflow.Idle"
    case workflowSuspended = "wf.workflow.Suspended"
    case workflowResumed = "wf.workflow.Resumed"
    case workflowPersisted = "wf.workflow.Persisted"
    case workflowLoaded = "wf.workflow.Loaded"
    case workflowUnloaded = "wf.workflow.Unloaded"
    case workflowChanged = "wf.workflow.Changed"
    case workflowException = "wf.workflow.Exception"
    case workflowAborted = "wf.workflow.Aborted"
    case workflowTerminated = "wf.workflow.Terminated"
    case workflowCompleted = "wf.workflow.Completed"
    case activityInitialized = "wf.activity.Initialized"
    case activityExecuting = "wf.activity.Executing"
    case activityCanceling = "wf.activity.Canceling"
    case activityFaulting = "wf.activity.Faulting"
    case activityCompensating = "wf.activity.Compensating"
    case activityClosed = "wf.activity.Closed"

    /// The concept the event is published under.
    public var concept: String { rawValue }

    /// True for `wf.activity.*` events, whose context names an activity and an attempt.
    public var isActivityEvent: Bool { rawValue.hasPrefix("wf.activity.") }
}

/// The resource concepts: one per monitor (docs/WORKFLOWS.md, "Messages").
public enum ResourceKind: String, Sendable, CaseIterable, Comparable {
    case cpu = "res.cpu"
    case memory = "res.memory"
    case io = "res.io"
    case disk = "res.disk"

    /// The concept of the monitor's pair.
    public var concept: String { rawValue }

    /// Declaration order (cpu, memory, io, disk), the order of pairs in a sample.
    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
