/// One engine event with its own fields (the context is separate: ``EventContext``).
/// The fields of each case are those of docs/WORKFLOWS.md, "Messages".
public enum EngineEvent: Sendable, Equatable {
    /// An instance was created: its activity count and parameters.
    case workflowCreated(activities: Int, params: [String: String])
    /// The instance started running activities.
    case workflowStarted
    /// Nothing runs and nothing is due before the next retry (the engine waits).
    case workflowIdle
    /// The engine stopped the instance so that it can be resumed later.
    case workflowSuspended
    /// A loaded instance continues.
    case workflowResumed
    /// The instance state was written to `path`.
    case workflowPersisted(path: String)
    /// An instance state was read from `path`; `completed` names the activities kept as done.
    case workflowLoaded(path: String, completed: [String])
    /// The engine let go of the instance (its state is on disk).
    case workflowUnloaded
    /// The definition differs from the last one run under the same workflow name.
    case workflowChanged(DefinitionDiff)
    /// The engine hit an error it could not attribute to an activity.
    case workflowException(error: String)
    /// The instance was canceled (e.g. `reason` "SIGINT").
    case workflowAborted(reason: String)
    /// The engine ended the instance for `reason` without finishing it.
    case workflowTerminated(reason: String)
    /// The instance finished.
    case workflowCompleted(WorkflowCompletion)
    /// An activity is known to the instance (published once per activity, at start).
    case activityInitialized(type: Activity.ActionType, needs: [String])
    /// An attempt started; `pid` is nil for `sleep` and `emit`.
    case activityExecuting(queuedMs: Int64, pid: Int32?)
    /// The engine is stopping an attempt.
    case activityCanceling(reason: CancelReason)
    /// An attempt failed.
    case activityFaulting(ActivityFault)
    /// Reserved: the engine has no compensation handlers yet.
    case activityCompensating
    /// The activity is final.
    case activityClosed(ActivityClosing)

    /// Why the engine stops an attempt.
    public enum CancelReason: String, Sendable {
        /// The attempt ran past its `timeout`.
        case timeout
        /// The instance is canceling.
        case cancel
    }

    /// The kind, and so the concept, of the event.
    public var kind: EventKind {
        switch self {
        case .workflowCreated: return .workflowCreated
        case .workflowStarted: return .workflowStarted
        case .workflowIdle: return .workflowIdle
        case .workflowSuspended: return .workflowSuspended
        case .workflowResumed: return .workflowResumed
        case .workflowPersisted: return .workflowPersisted
        case .workflowLoaded: return .workflowLoaded
        case .workflowUnloaded: return .workflowUnloaded
        case .workflowChanged: return .workflowChanged
        case .workflowException: return .workflowException
        case .workflowAborted: return .workflowAborted
        case .workflowTerminated: return .workflowTerminated
        case .workflowCompleted: return .workflowCompleted
        case .activityInitialized: return .activityInitialized
        case .activityExecuting: return .activityExecuting
        case .activityCanceling: return .activityCanceling
        case .activityFaulting: return .activityFaulting
        case .activityCompensating: return .activityCompensating
        case .activityClosed: return .activityClosed
        }
    }
}

/// The fields of `wf.workflow.Completed`.
public struct WorkflowCompletion: Sendable, Equatable {
    /// The result.
    public var result: WorkflowResult
    /// From the start (the latest, after a resume) to the end.
    public var durationMs: Int64
    /// Activities that succeeded.
    public var succeeded: Int
    /// Activities that failed with no attempt left.
    public var failed: Int
    /// Activities skipped.
    public var skipped: Int
    /// Activities canceled.
    public var canceled: Int

    /// A completion with these fields.
    public init(result: WorkflowResult, durationMs: Int64, succeeded: Int, failed: Int, skipped: Int, canceled: Int) {
        (self.result, self.durationMs) = (result, durationMs)
        (self.succeeded, self.failed, self.skipped, self.canceled) = (succeeded, failed, skipped, canceled)
    }

    /// The completion of `state` with `result`, at `nowMs`: the duration runs from the
    /// latest start (creation if it never started); the counts are of final statuses.
    public init(_ state: InstanceState, result: WorkflowResult, nowMs: Int64) {
        let statuses = state.activities.map(\.status)
        self.result = result
        self.durationMs = max(0, nowMs - (state.startedMs ?? state.createdMs))
        self.succeeded = statuses.filter { $0 == .succeeded }.count
        self.failed = statuses.filter { $0 == .failed }.count
        self.skipped = statuses.filter { $0 == .skipped }.count
        self.canceled = statuses.filter { $0 == .canceled }.count
    }
}

/// The fields of `wf.activity.Faulting`.
public struct ActivityFault: Sendable, Equatable {
    /// The exit status, when the process exited.
    public var exitCode: Int32?
    /// The signal that ended the process, if one did.
    public var signal: Int32?
    /// What went wrong, in words.
    public var error: String
    /// The delay before the next attempt; nil when no attempt is left (or the instance is canceling).
    public var retryInMs: Int64?
    /// True when another attempt follows.
    public var willRetry: Bool { retryInMs != nil }

    /// A fault with these fields.
    public init(exitCode: Int32?, signal: Int32?, error: String, retryInMs: Int64?) {
        (self.exitCode, self.signal, self.error, self.retryInMs) = (exitCode, signal, error, retryInMs)
    }

    /// The fault of `state`'s last attempt (status `failed`), retried in `retryInMs`.
    public init(_ state: ActivityState, retryInMs: Int64?) {
        self.exitCode = state.exitCode
        self.signal = state.signal
        self.error = state.error ?? "failed"
        self.retryInMs = retryInMs
    }
}

/// The fields of `wf.activity.Closed`.
public struct ActivityClosing: Sendable, Equatable {
    /// The activity's final result, as `wf.activity.Closed` names it.
    public enum Result: String, Sendable, CaseIterable {
        case succeeded = "Succeeded", faulted = "Faulted", canceled = "Canceled", skipped = "Skipped"
    }

    /// The final result.
    public var result: Result
    /// The last attempt's exit status; nil if its process did not exit (or there was none).
    public var exitCode: Int32?
    /// The last attempt's run time; nil if it never ran.
    public var durationMs: Int64?
    /// The last attempt's wait between ready and started; nil if it never ran.
    public var queuedMs: Int64?
    /// Attempts made.
    public var attempts: Int
    /// The last attempt's log file.
    public var log: String?

    /// A closing with these fields.
    public init(result: Result, exitCode: Int32?, durationMs: Int64?, queuedMs: Int64?, attempts: Int, log: String?) {
        (self.result, self.exitCode, self.durationMs) = (result, exitCode, durationMs)
        (self.queuedMs, self.attempts, self.log) = (queuedMs, attempts, log)
    }

    /// The closing of a final `state`. A status that is not final closes as Faulted.
    public init(_ state: ActivityState) {
        switch state.status {
        case .succeeded: result = .succeeded
        case .canceled: result = .canceled
        case .skipped: result = .skipped
        case .failed, .pending, .running: result = .faulted
        }
        exitCode = state.exitCode
        durationMs = state.durationMs
        queuedMs = state.attempts > 0 ? state.queuedMs : nil
        attempts = state.attempts
        log = state.logPath
    }
}
