/// One closed activity run, as the statistics see it.
public struct RunRecord: Equatable, Sendable {
    /// `Succeeded`, `Faulted`, `Canceled` or `Skipped` (from `wf.activity.Closed`).
    public var result: String
    /// `duration_ms` of the Closed event.
    public var durationMilliseconds: Int64?
    /// `queued_ms` of the Closed event (or of the last Executing).
    public var queuedMilliseconds: Int64?
    /// The largest `peak_rss_bytes` of the run's `During` and `After` memory samples.
    public var peakRSSBytes: Int64?
    /// `user_seconds + system_seconds` of the run's `After` CPU samples, summed over attempts.
    public var cpuSeconds: Double?

    /// A run with the given result and, where known, its measurements.
    public init(result: String, durationMilliseconds: Int64? = nil, queuedMilliseconds: Int64? = nil,
                peakRSSBytes: Int64? = nil, cpuSeconds: Double? = nil) {
        self.result = result
        self.durationMilliseconds = durationMilliseconds
        self.queuedMilliseconds = queuedMilliseconds
        self.peakRSSBytes = peakRSSBytes
        self.cpuSeconds = cpuSeconds
    }
}

/// The statistics of one activity's closed runs (of one version, or all). Pure.
///
/// - Results are counted by name; any other result counts in ``count`` only.
/// - Durations (statistics and histogram) are those of runs that executed:
///   every result but `Skipped`, with a `duration_ms`.
/// - Queue time, memory and CPU are means over the runs that report them.
public struct ActivitySummary: Equatable, Sendable {
    /// Closed runs, whatever their result.
    public private(set) var count = 0
    /// Runs closed `Succeeded`.
    public private(set) var succeeded = 0
    /// Runs closed `Faulted`.
    public private(set) var faulted = 0
    /// Runs closed `Canceled`.
    public private(set) var canceled = 0
    /// Runs closed `Skipped`.
    public private(set) var skipped = 0
    /// Statistics of the executed runs' durations; nil when none executed.
    public let duration: DurationStatistics?
    /// The executed runs' durations by bucket.
    public let histogram: DurationHistogram
    /// Mean `queued_ms`.
    public let meanQueuedMilliseconds: Double?
    /// Mean over runs of each run's peak RSS.
    public let meanPeakRSSBytes: Double?
    /// The largest peak RSS of any run.
    public let maximumPeakRSSBytes: Int64?
    /// Mean over runs of each run's CPU seconds (user + system).
    public let meanCPUSeconds: Double?

    /// The summary of `runs`.
    public init(_ runs: [RunRecord]) {
        let durations = runs.filter { $0.result != "Skipped" }.compactMap(\.durationMilliseconds)
        duration = DurationStatistics(durations)
        histogram = DurationHistogram(durations)
        meanQueuedMilliseconds = Self.mean(runs.compactMap(\.queuedMilliseconds).map(Double.init))
        let peaks = runs.compactMap(\.peakRSSBytes)
        meanPeakRSSBytes = Self.mean(peaks.map(Double.init))
        maximumPeakRSSBytes = peaks.max()
        meanCPUSeconds = Self.mean(runs.compactMap(\.cpuSeconds))
        for run in runs {
            count += 1
            switch run.result {
            case "Succeeded": succeeded += 1
            case "Faulted": faulted += 1
            case "Canceled": canceled += 1
            case "Skipped": skipped += 1
            default: break
            }
        }
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The summary as the monitor answers it (docs/WORKFLOWS.md, "Monitoring service");
    /// the histogram only when `histogram` is true.
    public func json(histogram includeHistogram: Bool) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "count": JSONValue(count), "succeeded": JSONValue(succeeded), "faulted": JSONValue(faulted),
            "canceled": JSONValue(canceled), "skipped": JSONValue(skipped),
            "executed": JSONValue(duration?.count ?? 0),
            "min_ms": JSONValue(duration?.minimum), "max_ms": JSONValue(duration?.maximum),
            "mean_ms": JSONValue(duration.map { Self.rounded($0.mean, places: 1) }),
            "p50_ms": JSONValue(duration?.p50), "p90_ms": JSONValue(duration?.p90), "p99_ms": JSONValue(duration?.p99),
            "queued_mean_ms": JSONValue(meanQueuedMilliseconds.map { Self.rounded($0, places: 1) }),
            "peak_rss_bytes_mean": JSONValue(meanPeakRSSBytes.map { Self.rounded($0, places: 0) }),
            "peak_rss_bytes_max": JSONValue(maximumPeakRSSBytes),
            "cpu_seconds_mean": JSONValue(meanCPUSeconds.map { Self.rounded($0, places: 3) }),
        ]
        if includeHistogram { object["histogram"] = histogram.json }
        return object
    }

    /// `value` rounded to `places` decimals, for answers that need no more precision.
    static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
