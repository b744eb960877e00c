import BlackboardMonitor
import Testing

@Suite struct DurationStatisticsTests {
    /// Nearest rank: the sample at rank ⌈p/100 × n⌉.
    @Test(arguments: [
        ([10, 20, 30, 40], 20, 40, 40),
        ([7], 7, 7, 7),
        ([3, 1, 2], 2, 3, 3),
        (Array(1...100), 50, 90, 99),
        (Array(1...10), 5, 9, 10),
        ([5, 5, 5, 1000], 5, 1000, 1000),
    ] as [([Int64], Int64, Int64, Int64)])
    func percentilesAreNearestRank(samples: [Int64], p50: Int64, p90: Int64, p99: Int64) {
        let statistics = DurationStatistics(samples.reversed())!
        #expect(statistics.p50 == p50)
        #expect(statistics.p90 == p90)
        #expect(statistics.p99 == p99)
        #expect(statistics.minimum == samples.min() && statistics.maximum == samples.max())
        #expect(statistics.count == samples.count)
    }

    @Test func meanIsExact() {
        #expect(DurationStatistics([1, 2, 3, 4])!.mean == 2.5)
        #expect(DurationStatistics([1000, 1010, 1020])!.mean == 1010)
    }

    @Test func emptyHasNoStatistics() {
        #expect(DurationStatistics([]) == nil)
        #expect(DurationStatistics.median([]) == nil)
        #expect(DurationStatistics.percentile(50, ofSorted: []) == nil)
    }

    @Test func medianIsTheLowerOneForEvenCounts() {
        #expect(DurationStatistics.median([4, 1, 3, 2]) == 2)
        #expect(DurationStatistics.median([9, 1, 5]) == 5)
    }

    @Test func percentileEdges() {
        let sorted: [Int64] = [10, 20, 30]
        #expect(DurationStatistics.percentile(0, ofSorted: sorted) == 10)
        #expect(DurationStatistics.percentile(100, ofSorted: sorted) == 30)
        #expect(DurationStatistics.percentile(33.4, ofSorted: sorted) == 20)
        #expect(DurationStatistics.percentile(33.3, ofSorted: sorted) == 10)
    }
}

@Suite struct DurationHistogramTests {
    @Test func boundsAreTheOneTwoFiveSeries() {
        let bounds = DurationHistogram.upperBounds
        #expect(bounds.count == 21)
        #expect(Array(bounds.prefix(7)) == [1, 2, 5, 10, 20, 50, 100])
        #expect(bounds.last == 5_000_000)
        #expect(DurationHistogram().counts.count == 22)
    }

    /// A duration falls in the first bucket whose bound is at least it.
    @Test(arguments: [
        (-5, 0), (0, 0), (1, 0), (2, 1), (3, 2), (5, 2), (6, 3), (10, 3), (11, 4),
        (999, 9), (1000, 9), (1001, 10), (5_000_000, 20), (5_000_001, 21), (Int64.max, 21),
    ] as [(Int64, Int)])
    func bucketBoundariesAreInclusive(duration: Int64, bucket: Int) {
        #expect(DurationHistogram.bucket(for: duration) == bucket)
    }

    @Test func countsPerBucketNotCumulative() {
        let histogram = DurationHistogram([1, 1, 4, 150, 150, 160, 9_999_999])
        var expected = Array(repeating: 0, count: 22)
        expected[0] = 2
        expected[2] = 1
        expected[7] = 3
        expected[21] = 1
        #expect(histogram.counts == expected)
        #expect(histogram.counts.reduce(0, +) == 7)
    }

    @Test func jsonNamesEachBound() {
        let json = DurationHistogram([3]).json.text
        #expect(json.hasPrefix(#"[{"count":0,"le":1},{"count":0,"le":2},{"count":1,"le":5},"#))
        #expect(json.hasSuffix(#"{"count":0,"le":5000000},{"count":0,"le":null}]"#))
    }
}

@Suite struct ActivitySummaryTests {
    @Test func countsResultsAndKeepsSkippedOutOfDurations() {
        let summary = ActivitySummary([
            RunRecord(result: "Succeeded", durationMilliseconds: 100, queuedMilliseconds: 10, peakRSSBytes: 1000, cpuSeconds: 1),
            RunRecord(result: "Succeeded", durationMilliseconds: 300, queuedMilliseconds: 30, peakRSSBytes: 3000, cpuSeconds: 2),
            RunRecord(result: "Faulted", durationMilliseconds: 200, queuedMilliseconds: 20),
            RunRecord(result: "Canceled", durationMilliseconds: 5000),
            RunRecord(result: "Skipped", durationMilliseconds: 0),
            RunRecord(result: "Mystery"),
        ])
        #expect((summary.count, summary.succeeded, summary.faulted, summary.canceled, summary.skipped) == (6, 2, 1, 1, 1))
        #expect(summary.duration == DurationStatistics([100, 300, 200, 5000]))
        #expect(summary.duration?.p50 == 200)
        #expect(summary.histogram.counts.reduce(0, +) == 4)
        #expect(summary.meanQueuedMilliseconds == 20)
        #expect(summary.meanPeakRSSBytes == 2000)
        #expect(summary.maximumPeakRSSBytes == 3000)
        #expect(summary.meanCPUSeconds == 1.5)
        let json = summary.json(histogram: false)
        #expect(json["p50_ms"] == 200 && json["max_ms"] == 5000 && json["executed"] == 4 && json["histogram"] == nil)
        #expect(json["mean_ms"] == .number(1400) && json["cpu_seconds_mean"] == .number(1.5))
    }

    @Test func noRunsGiveNulls() {
        let json = ActivitySummary([]).json(histogram: true)
        #expect(json["count"] == 0 && json["p50_ms"] == .null && json["mean_ms"] == .null && json["peak_rss_bytes_max"] == .null)
        #expect(json["histogram"]?.array?.count == 22)
    }
}
