import Testing
@testable import BlackboardWorkflow

/// A fake engine for planner tests: it applies plans to activity states on a simulated
/// clock, where every attempt takes `durations[name]` ms (default 10) and ends as
/// `results[name]` dictates, attempt by attempt (default: exit 0). No threads, no sleeps.
struct Simulation {
    let planner: Planner
    var states: [ActivityState]
    var now: Int64 = 0
    /// Every start as "name@time" (retries appear once per attempt).
    var starts: [String] = []
    /// Every skip and cancel as "name@time".
    var skips: [String] = []
    var cancels: [String] = []
    /// The most activities seen running at once.
    var peakRunning = 0
    var result: WorkflowResult?

    var durations: [String: Int64] = [:]
    var results: [String: [ActivityState.AttemptResult]] = [:]
    /// Cancel the instance at this time.
    var cancelAt: Int64?

    init(_ workflow: Workflow, maxParallel: Int? = nil) {
        planner = Planner(workflow: workflow, maxParallel: maxParallel)
        states = workflow.activities.map { ActivityState(name: $0.name) }
    }

    func name(_ index: Int) -> String { planner.workflow.activities[index].name }

    /// Runs until the planner reports a result (or 1000 steps, which fails the test).
    mutating func run() {
        for _ in 0..<1000 {
            let canceling = cancelAt.map { now >= $0 } ?? false
            let plan = planner.plan(states, now: now, canceling: canceling)
            for index in plan.skip { states[index].skip(now: now); skips.append("\(name(index))@\(now)") }
            for index in plan.cancel { states[index].cancel(now: now); cancels.append("\(name(index))@\(now)") }
            for index in plan.stop { states[index].finish(.canceled(signal: 15), now: now); cancels.append("\(name(index))@\(now)") }
            for index in plan.overdue {
                states[index].finish(.timedOut(afterMs: planner.workflow.activities[index].timeoutMs!, signal: 15), now: now)
            }
            for index in plan.slept { states[index].finish(.completed, now: now) }
            for index in plan.queued { states[index].enqueue(now: now) }
            for index in plan.start {
                states[index].begin(now: now, logPath: nil)
                starts.append("\(name(index))@\(now)")
            }
            peakRunning = max(peakRunning, states.filter { $0.status == .running }.count)
            if let result = plan.result {
                self.result = result
                return
            }
            // Plan again at the same time after any change, so that nextDueMs covers what just started.
            if !plan.start.isEmpty || !plan.stop.isEmpty || !plan.overdue.isEmpty || !plan.slept.isEmpty { continue }
            // Advance to the next end of a running attempt, due time, or cancellation.
            var next = plan.nextDueMs ?? .max
            if let cancelAt, cancelAt > now { next = min(next, cancelAt) }
            var ending: [Int] = []
            for index in states.indices where states[index].status == .running {
                if case .sleep = planner.workflow.activities[index].action { continue }
                let end = states[index].startedMs! + (durations[name(index)] ?? 10)
                if end < next { (next, ending) = (end, [index]) } else if end == next { ending.append(index) }
            }
            guard next != .max else { break }
            now = next
            for index in ending {
                let attempt = states[index].attempts - 1
                let outcomes = results[name(index)] ?? []
                states[index].finish(attempt < outcomes.count ? outcomes[attempt] : .exited(0), now: now)
            }
        }
        if result == nil { Issue.record("the simulation did not finish: \(states)") }
    }
}
