/// How often, and how long after a failure, an activity is tried again.
///
/// `limit` counts the extra attempts after the first, so an activity runs at most
/// `limit + 1` times. The delay before attempt n+1 (after n failed attempts) is
/// `backoff * factor^(n-1)`, capped at `maxBackoff`.
public struct RetryPolicy: Sendable, Equatable, Hashable {
    /// Extra attempts after the first (0...``maxLimit``).
    public var limit: Int
    /// The delay before the second attempt, in milliseconds.
    public var backoffMs: Int64
    /// The growth of the delay per further attempt (1.0...``maxFactor``).
    public var factor: Double
    /// The cap on any one delay, in milliseconds.
    public var maxBackoffMs: Int64

    /// No retries: one attempt only. Its delays are those a bare `retries: {limit: N}` gets.
    public static let none = RetryPolicy(limit: 0, backoffMs: 1_000, factor: 2.0, maxBackoffMs: 60_000)
    /// The largest `limit` a workflow file may ask for.
    public static let maxLimit = 100
    /// The largest `factor` a workflow file may ask for.
    public static let maxFactor = 10.0

    /// A policy; the values are taken as given (validation is the loader's job).
    public init(limit: Int, backoffMs: Int64, factor: Double, maxBackoffMs: Int64) {
        self.limit = limit
        self.backoffMs = backoffMs
        self.factor = factor
        self.maxBackoffMs = maxBackoffMs
    }

    /// The largest number of attempts: `limit + 1`.
    public var maxAttempts: Int { limit + 1 }

    /// The delay before the next attempt once `attempts` attempts have failed, or nil when
    /// the policy allows no further attempt.
    public func delayMs(afterFailedAttempts attempts: Int) -> Int64? {
        guard attempts >= 1, attempts < maxAttempts else { return nil }
        var delay = Double(backoffMs)
        for _ in 1..<attempts {
            delay *= factor
            if delay >= Double(maxBackoffMs) { break }
        }
        return min(Int64(delay.rounded()), max(maxBackoffMs, 0))
    }
}
