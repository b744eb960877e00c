// The planner: a pure function from (definition, activity states, now) to what the
// engine should do next. It keeps no state between calls; the engine applies a plan to
// its `ActivityState`s and asks again after every transition or when `nextDueMs` comes.
//
// The rules (docs/WORKFLOWS.md, "Planning"):
// - An activity's needs each end as *succeeded*, *failed* (failed with no attempt left,
//   canceled, or skipped because of such a failure further up) or *skipped* (skipped for
//   its condition, e.g. an unused `if: failure` handler, or below one).
// - `if: success` runs when every need succeeded, and is skipped as soon as one need
//   ends otherwise (failed -> a failed-skip, skipped -> a plain skip). `if: failure` waits
//   for every need to end, runs if one failed, and is otherwise skipped. `if: always` waits
//   for every need to end and runs. Skips propagate down the graph within one plan.
// - At most `maxParallel` activities run at once; ready ones start in file order, the
//   rest wait (`queued`). A failed activity with attempts left starts again once
//   `finishedMs + retry delay` has passed; until then it holds no slot.
// - The workflow is finished when every activity is final; its result is Failed if any
//   activity failed (no attempt left) or was canceled, else Succeeded. A `failure`
//   handler that runs does not turn a failed run into a succeeded one.
// - Canceling: running activities are to be stopped (`stop`), pending ones and those
//   waiting for a retry are canceled (`cancel`), nothing starts (not even `always`), and
//   the workflow is finished once nothing runs.

/// The result of a finished workflow instance.
public enum WorkflowResult: String, Sendable, Codable, CaseIterable {
    case succeeded = "Succeeded"
    case failed = "Failed"
}

/// What the engine should do now. Every list holds activity indices in file order.
public struct Plan: Sendable, Equatable {
    /// Pending activities to mark skipped (their condition can no longer hold).
    public var skip: [Int] = []
    /// Activities to mark canceled (pending or awaiting a retry; only when canceling).
    public var cancel: [Int] = []
    /// Running activities to stop (only when canceling).
    public var stop: [Int] = []
    /// Running activities past their timeout (reported on every plan until they end; the
    /// engine signals each once). Empty when canceling.
    public var overdue: [Int] = []
    /// Running `sleep` activities whose time is up: finish them as completed.
    public var slept: [Int] = []
    /// Activities that are ready to start, started now or waiting for a free slot: enqueue them.
    public var queued: [Int] = []
    /// The ready activities to start now (a prefix of `queued`, at most the free slots).
    public var start: [Int] = []
    /// The earliest future time (Unix ms) at which a retry, a timeout or a sleep falls due.
    public var nextDueMs: Int64?
    /// Set when the instance is finished (after applying this plan, nothing runs or can start).
    public var result: WorkflowResult?

    /// A plan with the given fields (the others empty).
    public init(
        skip: [Int] = [], cancel: [Int] = [], stop: [Int] = [], overdue: [Int] = [], slept: [Int] = [],
        queued: [Int] = [], start: [Int] = [], nextDueMs: Int64? = nil, result: WorkflowResult? = nil
    ) {
        (self.skip, self.cancel, self.stop, self.overdue, self.slept) = (skip, cancel, stop, overdue, slept)
        (self.queued, self.start, self.nextDueMs, self.result) = (queued, start, nextDueMs, result)
    }
}

/// Decides, for one workflow definition, which activities start, skip, retry or stop.
public struct Planner: Sendable {
    /// The definition.
    public let workflow: Workflow
    /// The most activities running at once.
    public let maxParallel: Int

    /// A planner for `workflow`; `maxParallel` (e.g. from a command-line flag, at least 1)
    /// overrides the file's `max_parallel`.
    public init(workflow: Workflow, maxParallel: Int? = nil) {
        self.workflow = workflow
        self.maxParallel = max(1, maxParallel ?? workflow.maxParallel)
    }

    /// How a need ended, for the conditions of the activities that need it.
    private enum Outcome {
        case unfinished, succeeded, failed, skipped
    }

    /// When the failed activity `state` may start again (Unix ms), or nil if it is not
    /// failed or has no attempt left.
    public func retryAtMs(_ index: Int, _ state: ActivityState) -> Int64? {
        guard state.status == .failed,
            let delay = workflow.activities[index].retry.delayMs(afterFailedAttempts: state.attempts)
        else { return nil }
        return (state.finishedMs ?? 0) + delay
    }

    /// The plan for `states` (one per activity, file order) at `now` (Unix ms).
    public func plan(_ states: [ActivityState], now: Int64, canceling: Bool = false) -> Plan {
        precondition(states.count == workflow.activities.count, "one state per activity")
        var plan = Plan()
        var due: [Int64] = []
        var status = states.map(\.status)

        for index in states.indices where status[index] == .running {
            let activity = workflow.activities[index]
            guard let started = states[index].startedMs else { continue }
            if case let .sleep(milliseconds) = activity.action {
                if now >= started + milliseconds {
                    plan.slept.append(index)
                    status[index] = .succeeded
                    continue
                }
                due.append(started + milliseconds)
            }
            // A canceling instance stops everything anyway: no timeouts to report then.
            if let timeout = activity.timeoutMs, !canceling {
                if now >= started + timeout { plan.overdue.append(index) } else { due.append(started + timeout) }
            }
        }

        if canceling {
            for index in states.indices {
                switch status[index] {
                case .running: plan.stop.append(index)
                case .pending: plan.cancel.append(index)
                case .failed where !states[index].isFinal(retry: workflow.activities[index].retry): plan.cancel.append(index)
                default: break
                }
            }
            for index in plan.cancel { status[index] = .canceled }
        } else {
            decide(states, &status, now: now, into: &plan, due: &due)
        }

        plan.nextDueMs = due.filter { $0 > now }.min()
        let final = states.indices.allSatisfy { index in
            var state = states[index]
            state.status = status[index]
            return state.isFinal(retry: workflow.activities[index].retry)
        }
        if final {
            let failed = states.indices.contains { status[$0] == .failed || status[$0] == .canceled }
            plan.result = failed ? .failed : .succeeded
        }
        return plan
    }

    /// Skips, readiness and starts for an instance that is not canceling.
    private func decide(
        _ states: [ActivityState], _ status: inout [ActivityState.Status], now: Int64, into plan: inout Plan,
        due: inout [Int64]
    ) {
        var outcome = [Outcome](repeating: .unfinished, count: states.count)
        var ready: [Int] = []
        for index in workflow.order {
            let activity = workflow.activities[index]
            let needs = activity.needIndices.map { outcome[$0] }
            let upstreamFailed = needs.contains(.failed)
            switch status[index] {
            case .succeeded:
                outcome[index] = .succeeded
            case .canceled:
                outcome[index] = .failed
            case .skipped:
                outcome[index] = upstreamFailed ? .failed : .skipped
            case .failed:
                if states[index].isFinal(retry: activity.retry) {
                    outcome[index] = .failed
                } else if let retryAt = retryAtMs(index, states[index]), retryAt > now {
                    due.append(retryAt)
                } else {
                    ready.append(index)
                }
            case .running:
                break
            case .pending:
                let unfinished = needs.contains(.unfinished)
                let skips: Bool
                switch activity.condition {
                case .success:
                    skips = upstreamFailed || needs.contains(.skipped)
                    if !skips && !unfinished { ready.append(index) }
                case .failure:
                    skips = !unfinished && !upstreamFailed
                    if !unfinished && upstreamFailed { ready.append(index) }
                case .always:
                    skips = false
                    if !unfinished { ready.append(index) }
                }
                if skips {
                    plan.skip.append(index)
                    status[index] = .skipped
                    outcome[index] = upstreamFailed ? .failed : .skipped
                }
            }
        }
        plan.skip.sort()
        ready.sort()
        let running = status.filter { $0 == .running }.count
        plan.queued = ready
        plan.start = Array(ready.prefix(max(0, maxParallel - running)))
        for index in plan.start { status[index] = .running }
    }
}
