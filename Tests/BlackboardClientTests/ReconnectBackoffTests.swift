import BlackboardClient
import BlackboardTestSupport
import Testing

@Suite struct ReconnectBackoffTests {
    @Test func ceilingsDoubleFromInitialUpToMaximum() {
        let backoff = ReconnectBackoff(initial: .milliseconds(50), maximum: .seconds(5))
        let ceilings = (0..<10).map { backoff.ceiling(forAttempt: $0) }
        #expect(ceilings == [
            .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
            .milliseconds(1600), .milliseconds(3200), .seconds(5), .seconds(5), .seconds(5),
        ])
    }

    @Test(arguments: [0, 1, 2, 5, 7, 30, 63, 64, 1000, Int.max])
    func delaysStayWithinHalfTheCeilingAndTheCeiling(attempt: Int) {
        let backoff = ReconnectBackoff()
        var generator = SplitMix64(seed: UInt64(truncatingIfNeeded: attempt))
        let ceiling = backoff.ceiling(forAttempt: attempt)
        #expect(ceiling <= .seconds(5))
        for _ in 0..<200 {
            let delay = backoff.delay(forAttempt: attempt, using: &generator)
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
    }

    @Test func jitterSpreadsTheDelays() {
        let backoff = ReconnectBackoff()
        var generator = SplitMix64(seed: 42)
        let delays = Set((0..<50).map { _ in backoff.delay(forAttempt: 3, using: &generator) })
        #expect(delays.count > 40)
    }

    @Test func negativeAttemptsActLikeTheFirst() {
        #expect(ReconnectBackoff().ceiling(forAttempt: -3) == .milliseconds(50))
    }

    @Test func maximumBelowInitialIsRaisedToInitial() {
        let backoff = ReconnectBackoff(initial: .seconds(2), maximum: .milliseconds(10))
        #expect(backoff.maximum == .seconds(2))
        #expect(backoff.ceiling(forAttempt: 10) == .seconds(2))
    }
}
