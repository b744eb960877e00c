import Testing
@testable import BlackboardWorkflow

/// The planner, driven by a simulated engine (``Simulation``) and checked plan by plan.
@Suite struct PlannerTests {
    @Test func aChainRunsInOrder() throws {
        var run = Simulation(try Fixtures.graph(["a", "b: a", "c: b"]))
        run.run()
        #expect(run.starts == ["a@0", "b@10", "c@20"])
        #expect(run.result == .succeeded)
    }

    @Test func aDiamondJoinsAfterBothBranches() throws {
        var run = Simulation(try Fixtures.graph(["a", "b: a", "c: a", "d: b c"]))
        run.durations = ["b": 30]
        run.run()
        #expect(run.starts == ["a@0", "b@10", "c@10", "d@40"])
        #expect(run.peakRunning == 2)
        #expect(run.result == .succeeded)
    }

    @Test(arguments: [(1, ["a@0", "b@10", "c@20", "d@30"]), (2, ["a@0", "b@0", "c@10", "d@10"]), (4, ["a@0", "b@0", "c@0", "d@0"])])
    func parallelBranchesRespectMaxParallel(limit: Int, expected: [String]) throws {
        var run = Simulation(try Fixtures.graph(["a", "b", "c", "d"], maxParallel: limit))
        run.run()
        #expect(run.starts == expected)
        #expect(run.peakRunning == limit)
    }

    @Test func theEngineFlagOverridesTheFile() throws {
        var run = Simulation(try Fixtures.graph(["a", "b", "c"], maxParallel: 3), maxParallel: 1)
        run.run()
        #expect(run.starts == ["a@0", "b@10", "c@20"])
    }

    @Test func tiesGoToFileOrderNotNameOrder() throws {
        var run = Simulation(try Fixtures.graph(["z", "y", "x", "w: x y z"], maxParallel: 1))
        run.run()
        #expect(run.starts == ["z@0", "y@10", "x@20", "w@30"])
    }

    @Test func waitingActivitiesAreQueuedAndTheirQueueTimeRecorded() throws {
        var run = Simulation(try Fixtures.graph(["a", "b"], maxParallel: 1))
        run.run()
        #expect(run.states.map(\.queuedMs) == [0, 10])
    }

    @Test func retriesWaitForTheirBackoff() throws {
        let workflow = try Fixtures.graph(["a", "b: a"], retries: "{limit: 3, backoff: 100ms, factor: 2, max_backoff: 150ms}")
        var run = Simulation(workflow)
        run.results = ["a": [.exited(1), .exited(1), .exited(1)]]
        run.run()
        // Delays 100, then 200 capped at 150, then 150: a@0 fails at 10, a@110 at 120, a@270 at 280, a@430 succeeds.
        #expect(run.starts == ["a@0", "a@110", "a@270", "a@430", "b@440"])
        #expect(run.states[0].attempts == 4)
        #expect(run.result == .succeeded)
    }

    @Test func aFailedActivityHoldsNoSlotWhileItWaits() throws {
        let workflow = try Fixtures.graph(["a", "b"], maxParallel: 1, retries: "{limit: 1, backoff: 1s}")
        let planner = Planner(workflow: workflow)
        var states = workflow.activities.map { ActivityState(name: $0.name) }
        states[0].begin(now: 0, logPath: nil)
        states[0].finish(.exited(2), now: 10)
        let plan = planner.plan(states, now: 10)
        #expect(plan.start == [1])
        #expect(plan.nextDueMs == 1_010)
        #expect(plan.result == nil)
        #expect(planner.retryAtMs(0, states[0]) == 1_010)
        states[1].begin(now: 10, logPath: nil)
        #expect(planner.plan(states, now: 1_010).queued == [0], "due, but the one slot is taken")
        #expect(planner.plan(states, now: 1_010).start == [])
    }

    @Test func exhaustedRetriesFailTheWorkflowAndSkipWhatNeedsIt() throws {
        var run = Simulation(try Fixtures.graph(["a", "b: a", "c"], retries: "1"))
        run.results = ["a": [.exited(1), .signaled(9)]]
        run.run()
        #expect(run.starts == ["a@0", "c@0", "a@1010"])
        #expect(run.skips == ["b@1020"])
        #expect(run.states[0].error == "killed by signal 9")
        #expect(run.result == .failed)
    }

    @Test func failureHandlersRunOnlyAfterAFailure() throws {
        let workflow = try Fixtures.graph(["a", "b: a", "report: a ?failure", "done: a ?always"])
        var failing = Simulation(workflow)
        failing.results = ["a": [.exited(3)]]
        failing.run()
        #expect(failing.starts == ["a@0", "report@10", "done@10"])
        #expect(failing.skips == ["b@10"])
        #expect(failing.result == .failed, "a handler does not make a failed run succeed")

        var passing = Simulation(workflow)
        passing.run()
        #expect(passing.starts == ["a@0", "b@10", "done@10"])
        #expect(passing.skips == ["report@10"])
        #expect(passing.result == .succeeded)
    }

    @Test func failureAndAlwaysWaitForEveryNeed() throws {
        var run = Simulation(try Fixtures.graph(["a", "slow", "h: a slow ?failure", "z: a slow ?always"]))
        run.results = ["a": [.exited(1)]]
        run.durations = ["slow": 50]
        run.run()
        #expect(run.starts == ["a@0", "slow@0", "h@50", "z@50"])
    }

    @Test func skipsPropagateInOnePlanAndFailureSeesThroughThem() throws {
        var run = Simulation(try Fixtures.graph(["a", "b: a", "c: b", "d: c", "cleanup: d ?failure", "note: d ?always"]))
        run.results = ["a": [.exited(1)]]
        run.run()
        #expect(run.skips == ["b@10", "c@10", "d@10"])
        #expect(run.starts == ["a@0", "cleanup@10", "note@10"])
        #expect(run.result == .failed)
    }

    @Test func aSkippedHandlerSkipsWhatNeedsItWithoutFailing() throws {
        var run = Simulation(try Fixtures.graph(["a", "h: a ?failure", "after: h", "tail: h ?failure"]))
        run.run()
        #expect(run.skips == ["h@10", "after@10", "tail@10"])
        #expect(run.result == .succeeded)
    }

    @Test func cancelingStopsRunningAndCancelsTheRestIncludingAlways() throws {
        var run = Simulation(try Fixtures.graph(["a", "b", "c: a", "z: a ?always"]))
        run.durations = ["a": 100, "b": 100]
        run.cancelAt = 50
        run.run()
        #expect(run.starts == ["a@0", "b@0"])
        #expect(run.cancels == ["c@50", "z@50", "a@50", "b@50"])
        #expect(run.states.map(\.status) == [.canceled, .canceled, .canceled, .canceled])
        #expect(run.result == .failed)
    }

    @Test func cancelingWaitsForRunningActivitiesAndCancelsRetries() throws {
        let workflow = try Fixtures.graph(["a", "b"], retries: "2")
        let planner = Planner(workflow: workflow)
        var states = workflow.activities.map { ActivityState(name: $0.name) }
        states[0].begin(now: 0, logPath: nil)
        states[0].finish(.exited(1), now: 5)
        states[1].begin(now: 0, logPath: nil)
        let plan = planner.plan(states, now: 6, canceling: true)
        #expect(plan == Plan(cancel: [0], stop: [1]))
        states[0].cancel(now: 6)
        states[1].finish(.canceled(signal: 15), now: 7)
        #expect(planner.plan(states, now: 7, canceling: true) == Plan(result: .failed))
    }

    @Test func timeoutsAreReportedWhenDueAndFailTheAttempt() throws {
        let workflow = try Fixtures.load("workflow: t\nactivities:\n  a: {run: x, timeout: 50ms}\n  b: {run: x, needs: a}\n")
        var run = Simulation(workflow)
        run.durations = ["a": 500]
        run.run()
        #expect(run.states[0].status == .failed)
        #expect(run.states[0].error == "timed out after 50ms")
        #expect(run.states[0].finishedMs == 50)
        #expect(run.result == .failed)
    }

    @Test func sleepsEndWhenTheirTimeIsUp() throws {
        let workflow = try Fixtures.load("workflow: t\nactivities:\n  nap: {sleep: 2s}\n  b: {run: x, needs: nap}\n")
        let planner = Planner(workflow: workflow)
        var states = workflow.activities.map { ActivityState(name: $0.name) }
        states[0].begin(now: 0, logPath: nil)
        #expect(planner.plan(states, now: 1_000) == Plan(nextDueMs: 2_000))
        #expect(planner.plan(states, now: 2_000) == Plan(slept: [0], queued: [1], start: [1]))
        var run = Simulation(workflow)
        run.run()
        #expect(run.starts == ["nap@0", "b@2000"])
    }

    @Test func theNextDueTimeIsTheEarliestOfRetriesTimeoutsAndSleeps() throws {
        let workflow = try Fixtures.load("""
            workflow: t
            activities:
              a: {run: x, timeout: 5s}
              b: {sleep: 3s}
              c: {run: x, retries: {limit: 1, backoff: 2s}}
            """)
        let planner = Planner(workflow: workflow)
        var states = workflow.activities.map { ActivityState(name: $0.name) }
        states[0].begin(now: 0, logPath: nil)
        states[1].begin(now: 0, logPath: nil)
        states[2].begin(now: 0, logPath: nil)
        states[2].finish(.exited(1), now: 500)
        #expect(planner.plan(states, now: 600).nextDueMs == 2_500)
        #expect(planner.plan(states, now: 2_600).nextDueMs == 3_000)
        #expect(planner.plan(states, now: 5_000).overdue == [0])
        #expect(planner.plan(states, now: 5_000, canceling: true) == Plan(cancel: [2], stop: [0], slept: [1]))
    }

    @Test func aWorkflowOfOnlyFinishedActivitiesHasItsResultAtOnce() throws {
        let workflow = try Fixtures.graph(["a", "b"])
        var states = workflow.activities.map { ActivityState(name: $0.name) }
        for index in states.indices {
            states[index].begin(now: 0, logPath: nil)
            states[index].finish(.exited(0), now: 1)
        }
        #expect(Planner(workflow: workflow).plan(states, now: 2) == Plan(result: .succeeded))
    }
}
