import BlackboardWorkflow
import Dispatch
import Foundation

/// Runs one workflow instance to its end: the engine loop.
///
/// Everything happens on one serial queue. Each turn asks the ``Planner`` what to do
/// (skip, cancel, stop, start...), applies it to the instance state, writes the state
/// atomically after every transition, publishes the events through the ``Tracker``,
/// and sleeps until a child exits, a track line arrives, or the plan's next due time
/// (a retry, a timeout, a sleep). Child exits come from the reaper threads of
/// ``ChildProcess`` and are handed to the queue. WorkflowRun+Activities.swift starts and
/// ends attempts; this file is the loop and the workflow events.
public final class WorkflowRun: @unchecked Sendable {
    // @unchecked Sendable: the mutable state below is touched only on `queue`.

    /// How the engine runs activities.
    public struct Options: Sendable {
        /// Overrides the file's `max_parallel`.
        public var maxParallel: Int?
        /// Between SIGTERM and SIGKILL when an activity is stopped (timeout, cancel).
        public var grace: Duration = .seconds(2)
        /// The `host` of the events.
        public var host = ProcessInfo.processInfo.hostName
        /// The periodic resource sampling of running activities.
        public var schedule = SamplingSchedule()
        /// How often running activities' track files are read.
        public var trackPoll: Duration = .milliseconds(100)
        /// The environment activities inherit (their own `env` and the `BB_*` variables go on top).
        public var environment = ProcessInfo.processInfo.environment
        /// Progress lines for people (the CLI prints them on stderr).
        public var report: @Sendable (String) -> Void = { _ in }

        public init() {}
    }

    let workflow: Workflow
    let planner: Planner
    let directory: StateDirectory
    let tracker: Tracker
    let options: Options
    /// The directory of the workflow file (`$BB_WORKFLOW_DIR`).
    let workflowDirectory: String
    let queue = DispatchQueue(label: "blackboard.workflow")

    var state: InstanceState
    /// Attempts in progress, by activity index.
    var running: [Int: Attempt] = [:]
    /// Why the instance is being canceled, once it is.
    var canceling: String?
    var idleAnnounced = false
    var trackTimer: DispatchSourceTimer?
    var wakeAt: Int64?
    private var completion: CheckedContinuation<WorkflowResult, Never>?

    /// A run of `workflow` (loaded from `definitionPath`) as instance `state`.
    public init(workflow: Workflow, definitionPath: String, state: InstanceState, directory: StateDirectory,
                tracker: Tracker, options: Options = Options()) {
        self.workflow = workflow
        self.planner = Planner(workflow: workflow, maxParallel: options.maxParallel)
        self.directory = directory
        self.tracker = tracker
        self.options = options
        self.state = state
        self.id = state.id
        self.workflowDirectory = URL(fileURLWithPath: definitionPath).deletingLastPathComponent().path
    }

    /// The instance id.
    public let id: String

    /// Whether the run was canceled (read after ``run(loaded:)`` returned).
    public var wasCanceled: Bool { queue.sync { canceling != nil } }

    /// Runs the instance until it finishes; `loaded` lists the activities kept done when
    /// this is a resume (nil for a new instance). Returns the result.
    public func run(loaded: [String]? = nil) async -> WorkflowResult {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                completion = continuation
                begin(loaded: loaded)
            }
        }
    }

    /// Cancels the instance (SIGINT: `Aborted`; SIGTERM: `Terminated`): running
    /// activities are stopped, nothing new starts, and the run ends Failed.
    public func cancel(reason: String, terminated: Bool = false) {
        queue.async { [self] in
            guard canceling == nil, state.result == nil else { return }
            canceling = reason
            options.report("canceling: \(reason)")
            if terminated {
                publish(.workflowTerminated) { .workflowTerminated(reason: reason) }
            } else {
                publish(.workflowAborted) { .workflowAborted(reason: reason) }
            }
            step()
        }
    }

    // MARK: The loop (on `queue`)

    private func begin(loaded: [String]?) {
        let now = Self.nowMs()
        if let loaded {
            publish(.workflowLoaded) { .workflowLoaded(path: directory.statePath(state.id), completed: loaded) }
        } else {
            publish(.workflowCreated) { .workflowCreated(activities: workflow.activities.count, params: state.params) }
        }
        let summary = DefinitionSummary(workflow: workflow, version: state.version)
        if let previous = directory.previousSummary(workflow.name), let diff = summary.diff(from: previous) {
            publish(.workflowChanged) { .workflowChanged(diff) }
        }
        do { try directory.saveSummary(summary) } catch { exception("cannot record the definition: \(error)") }
        if state.startedMs == nil { state.startedMs = now }
        if loaded == nil {
            publish(.workflowStarted) { .workflowStarted }
        } else {
            publish(.workflowResumed) { .workflowResumed }
        }
        for (index, activity) in workflow.activities.enumerated() {
            publish(.activityInitialized, activity: index) {
                .activityInitialized(type: activity.type, needs: activity.needs)
            }
        }
        tracker.observeProfile { [weak self] in
            guard let self else { return }
            queue.async { self.profileChanged() }
        }
        persist()
        step()
    }

    /// One turn: apply the planner's answer, then wait for the next event.
    func step() {
        guard state.result == nil else { return }
        let now = Self.nowMs()
        let plan = planner.plan(state.activities, now: now, canceling: canceling != nil)
        var changed = false
        var replan = false
        for index in plan.skip {
            state.activities[index].skip(now: now)
            closed(index)
            changed = true
        }
        for index in plan.cancel {
            state.activities[index].cancel(now: now)
            closed(index)
            changed = true
        }
        for index in plan.stop { stop(index, reason: .cancel) }
        for index in plan.overdue { stop(index, reason: .timeout) }
        for index in plan.slept {
            running[index] = nil
            state.activities[index].finish(.completed, now: now)
            closed(index)
            changed = true
        }
        for index in plan.queued { state.activities[index].enqueue(now: now) }
        for index in plan.start {
            replan = start(index, now: now) || replan
            changed = true
        }
        if changed { persist() }
        if let result = plan.result, running.isEmpty {
            return complete(result)
        }
        announceIdle(plan)
        // The plan's due time was computed before these starts: plan again so the new
        // attempts' timeouts and sleeps get their wake-up.
        if replan || !plan.start.isEmpty {
            queue.async { [self] in step() }
        } else if let due = plan.nextDueMs {
            wake(at: due)
        }
    }

    /// Publishes `Idle` once each time nothing runs while the instance waits (for a retry).
    private func announceIdle(_ plan: Plan) {
        let idle = running.isEmpty && plan.start.isEmpty && plan.result == nil
        if idle && !idleAnnounced { publish(.workflowIdle) { .workflowIdle } }
        idleAnnounced = idle
    }

    /// Runs `step` at `due` (Unix ms); an earlier wake-up already armed covers it.
    private func wake(at due: Int64) {
        if let wakeAt, wakeAt <= due, wakeAt > Self.nowMs() { return }
        wakeAt = due
        let delay = max(0, due - Self.nowMs())
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay))) { [self] in
            if wakeAt == due { wakeAt = nil }
            step()
        }
    }

    private func complete(_ result: WorkflowResult) {
        let now = Self.nowMs()
        state.result = result
        state.finishedMs = now
        trackTimer?.cancel()
        trackTimer = nil
        persist()
        publish(.workflowCompleted) { .workflowCompleted(WorkflowCompletion(state, result: result, nowMs: now)) }
        publish(.workflowUnloaded) { .workflowUnloaded }
        let counters = tracker.counters
        options.report("\(workflow.name) \(state.id): \(result.rawValue); "
            + (tracker.isConnected ? "\(counters.published) messages published, \(counters.notWanted) events not built (nobody subscribed)"
                : "nothing published (no broker)"))
        completion?.resume(returning: result)
        completion = nil
    }

    /// Writes the state (after every transition) and says so.
    func persist() {
        do {
            try directory.save(state)
            publish(.workflowPersisted) { .workflowPersisted(path: directory.statePath(state.id)) }
        } catch {
            exception("cannot write the instance state: \(error)")
        }
    }

    func exception(_ message: String) {
        options.report("error: \(message)")
        publish(.workflowException) { .workflowException(error: message) }
    }

    /// The aggregate profile changed: start or stop the periodic resource samplers.
    private func profileChanged() {
        let wanted = tracker.wantsResources
        for attempt in running.values { attempt.periodic?.setEnabled(wanted) }
    }

    // MARK: Publishing

    /// Publishes the event of `kind` if wanted; `event` (and the context, which takes the
    /// next sequence number) are built only then.
    func publish(_ kind: EventKind, activity: Int? = nil, _ event: () -> EngineEvent) {
        tracker.publish(kind) { (event(), context(activity: activity)) }
    }

    /// The context of the next message: takes a sequence number.
    func context(activity: Int?) -> EventContext {
        state.seq += 1
        return EventContext(
            instance: state.id, workflow: state.workflow, version: state.version,
            activity: activity.map { workflow.activities[$0].name },
            attempt: activity.map { max(1, state.activities[$0].attempts) },
            seq: state.seq, timeMs: Self.nowMs(), host: options.host)
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
