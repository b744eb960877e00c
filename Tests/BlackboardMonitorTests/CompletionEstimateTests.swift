import BlackboardMonitor
import Testing

@Suite struct CompletionEstimateTests {
    typealias Activity = CompletionEstimate.Activity

    private func activity(_ name: String, _ needs: [String] = [], _ progress: CompletionEstimate.Progress = .pending,
                          estimate: Int64, source: CompletionEstimate.Source = .version) -> Activity {
        Activity(name: name, needs: needs, progress: progress, estimateMilliseconds: estimate, source: source)
    }

    private func activity(_ name: String, _ progress: CompletionEstimate.Progress, estimate: Int64,
                          source: CompletionEstimate.Source = .version) -> Activity {
        activity(name, [], progress, estimate: estimate, source: source)
    }

    @Test func chainAddsUp() {
        let estimate = CompletionEstimate([
            activity("c", ["b"], estimate: 300), activity("a", estimate: 100), activity("b", ["a"], estimate: 200),
        ])
        #expect(estimate.remainingMilliseconds == 600)
        #expect(estimate.criticalPath == ["a", "b", "c"])
        #expect(estimate.rows.map(\.finishMilliseconds) == [100, 300, 600])
        #expect(!estimate.usesDefault && !estimate.isCyclic)
    }

    /// extract (done) → a (running 500 of 2000), b (pending 1000) → load (300).
    @Test func diamondTakesTheLongestBranchLessElapsed() {
        let estimate = CompletionEstimate([
            activity("extract", .done, estimate: 900),
            activity("a", ["extract"], .running(elapsedMilliseconds: 500), estimate: 2000),
            activity("b", ["extract"], estimate: 1000),
            activity("load", ["a", "b"], estimate: 300),
        ])
        #expect(estimate.remainingMilliseconds == 1800)
        #expect(estimate.criticalPath == ["a", "load"])
        let rows = Dictionary(uniqueKeysWithValues: estimate.rows.map { ($0.activity.name, $0) })
        #expect(rows["extract"]?.remainingMilliseconds == 0 && rows["extract"]?.finishMilliseconds == 0)
        #expect(rows["a"]?.remainingMilliseconds == 1500)
        #expect(rows["b"]?.finishMilliseconds == 1000)
        #expect(rows["load"]?.finishMilliseconds == 1800)
    }

    @Test func overdueRunningActivityHasNothingLeft() {
        let estimate = CompletionEstimate([
            activity("slow", .running(elapsedMilliseconds: 9000), estimate: 1000),
            activity("next", ["slow"], estimate: 250),
        ])
        #expect(estimate.remainingMilliseconds == 250)
        #expect(estimate.rows.first { $0.activity.name == "slow" }?.remainingMilliseconds == 0)
        #expect(estimate.criticalPath == ["slow", "next"])
    }

    @Test func allDoneLeavesNothing() {
        let estimate = CompletionEstimate([activity("a", .done, estimate: 5), activity("b", ["a"], .done, estimate: 5)])
        #expect(estimate.remainingMilliseconds == 0)
        #expect(estimate.criticalPath.isEmpty)
        #expect(CompletionEstimate([]).remainingMilliseconds == 0)
    }

    @Test func cyclesAndUnknownNeedsAreIgnored() {
        let estimate = CompletionEstimate([
            activity("a", ["b", "ghost"], estimate: 100),
            activity("b", ["a"], estimate: 200),
        ])
        #expect(estimate.isCyclic)
        // a is walked first: its edge to b is kept, b's edge back to a is dropped.
        #expect(estimate.remainingMilliseconds == 300)
        #expect(estimate.criticalPath == ["b", "a"])
    }

    @Test func defaultEstimatesAreFlaggedOnlyWhileUnfinished() {
        let pending = CompletionEstimate([activity("a", estimate: 60_000, source: .default)])
        #expect(pending.usesDefault)
        let done = CompletionEstimate([activity("a", .done, estimate: 60_000, source: .default)])
        #expect(!done.usesDefault)
    }

    @Test func tiesPickTheFirstNameForTheCriticalPath() {
        let estimate = CompletionEstimate([
            activity("y", estimate: 100), activity("x", estimate: 100), activity("z", ["y", "x"], estimate: 1),
        ])
        #expect(estimate.remainingMilliseconds == 101)
        #expect(estimate.criticalPath == ["x", "z"])
    }

    @Test func repeatedNamesKeepTheFirst() {
        let estimate = CompletionEstimate([activity("a", estimate: 10), activity("a", estimate: 99)])
        #expect(estimate.rows.count == 1 && estimate.remainingMilliseconds == 10)
    }

    @Test func independentActivitiesRunInParallel() {
        let estimate = CompletionEstimate((1...5).map { activity("step\($0)", estimate: Int64($0) * 100) })
        #expect(estimate.remainingMilliseconds == 500)
        #expect(estimate.criticalPath == ["step5"])
    }
}
