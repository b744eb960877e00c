/// Exponential backoff with jitter for reconnection attempts.
///
/// Attempt `n` (from 0) waits a random time in `[d/2, d]`, where
/// `d = min(maximum, initial · 2ⁿ)`: the delays double until they reach the
/// ceiling, and the random half keeps many clients that lost the same broker
/// from reconnecting in lockstep.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The ceiling of the first delay.
    public var initial: Duration
    /// The ceiling no delay exceeds.
    public var maximum: Duration

    /// A backoff from `initial` (default 50 ms) doubling up to `maximum` (default 5 s).
    public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The upper bound of the delay before attempt `attempt` (0-based), without jitter.
    public func ceiling(forAttempt attempt: Int) -> Duration {
        let initialNanoseconds = max(1, initial.nanoseconds)
        let maximumNanoseconds = max(initialNanoseconds, maximum.nanoseconds)
        let shift = min(max(attempt, 0), 62)
        let (scaled, overflow) = initialNanoseconds.multipliedReportingOverflow(by: Int64(1) << shift)
        let nanoseconds = overflow || scaled > maximumNanoseconds ? maximumNanoseconds : scaled
        return .nanoseconds(nanoseconds)
    }

    /// The delay before attempt `attempt`: uniform in `[ceiling/2, ceiling]`.
    public func delay(forAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(forAttempt: attempt).nanoseconds
        let floor = ceiling / 2
        return .nanoseconds(Int64.random(in: floor...ceiling, using: &generator))
    }

    /// The delay before attempt `attempt`, with the system's random numbers.
    public func delay(forAttempt attempt: Int) -> Duration {
        var generator = SystemRandom()
        return delay(forAttempt: attempt, using: &generator)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
    }

    /// The duration in whole milliseconds, at least 0.
    var milliseconds: UInt64 { UInt64(max(0, nanoseconds / 1_000_000)) }
}
