/// Counts of durations in fixed, log-scale buckets. Pure.
///
/// The buckets follow the 1-2-5 series from 1 ms to 5,000 s (about 83 minutes), plus
/// one for anything longer: a duration d (ms) falls in the first bucket whose upper
/// bound `le` satisfies d ≤ le (as Prometheus's `le`), so bucket `le = 5` holds
/// 2 < d ≤ 5. Counts are per bucket, not cumulative. Fixed bounds make histograms of
/// different activities, versions and monitors directly comparable.
public struct DurationHistogram: Equatable, Sendable {
    /// The upper bounds in ms, inclusive; the last bucket (no bound) takes the rest.
    public static let upperBounds: [Int64] = {
        var bounds: [Int64] = []
        var decade: Int64 = 1
        while decade <= 1_000_000 {
            bounds += [decade, 2 * decade, 5 * decade]
            decade *= 10
        }
        return bounds
    }()

    /// One count per bucket: `upperBounds.count` bounded buckets, then the overflow bucket.
    public private(set) var counts: [Int]

    /// An empty histogram.
    public init() {
        counts = Array(repeating: 0, count: Self.upperBounds.count + 1)
    }

    /// A histogram of `durations`.
    public init(_ durations: [Int64]) {
        self.init()
        for duration in durations { add(duration) }
    }

    /// Counts one duration (negative durations count as 0).
    public mutating func add(_ duration: Int64) {
        counts[Self.bucket(for: duration)] += 1
    }

    /// The index of the bucket `duration` falls in.
    public static func bucket(for duration: Int64) -> Int {
        var low = 0, high = upperBounds.count
        while low < high {  // first bound >= duration
            let middle = (low + high) / 2
            if upperBounds[middle] >= duration { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The buckets as `[{"le":1,"count":0}, …, {"le":null,"count":n}]`.
    public var json: JSONValue {
        .array(counts.enumerated().map { index, count in
            ["le": index < Self.upperBounds.count ? .integer(Self.upperBounds[index]) : .null, "count": JSONValue(count)]
        })
    }
}
