/// Summary statistics of a set of durations in milliseconds. Pure.
///
/// Percentiles use the **nearest-rank** definition: the p-th percentile of n sorted
/// samples is the sample at rank ⌈p/100 × n⌉ (counting from 1). It is always one of
/// the observed durations, never an interpolation, so p50 of [10, 20, 30, 40] is 20
/// and p99 of fewer than 100 samples is the maximum.
public struct DurationStatistics: Equatable, Sendable {
    /// How many durations.
    public let count: Int
    /// The smallest.
    public let minimum: Int64
    /// The largest.
    public let maximum: Int64
    /// The arithmetic mean.
    public let mean: Double
    /// The 50th percentile (the lower median for an even count).
    public let p50: Int64
    /// The 90th percentile.
    public let p90: Int64
    /// The 99th percentile.
    public let p99: Int64

    /// The statistics of `durations`; nil when there are none.
    public init?(_ durations: [Int64]) {
        guard !durations.isEmpty else { return nil }
        let sorted = durations.sorted()
        count = sorted.count
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        mean = sorted.reduce(0.0) { $0 + Double($1) } / Double(sorted.count)
        p50 = Self.percentile(50, ofSorted: sorted)!
        p90 = Self.percentile(90, ofSorted: sorted)!
        p99 = Self.percentile(99, ofSorted: sorted)!
    }

    /// The nearest-rank `p`-th percentile (0 < p ≤ 100) of `sorted` (ascending); nil when empty.
    /// p ≤ 0 gives the minimum.
    public static func percentile(_ p: Double, ofSorted sorted: [Int64]) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The nearest-rank median of `durations` in any order; nil when empty.
    public static func median(_ durations: [Int64]) -> Int64? {
        percentile(50, ofSorted: durations.sorted())
    }
}
