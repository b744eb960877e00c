#if canImport(Glibc)
import Glibc
#endif

/// Samples the resource use of one child's process group: cumulative CPU, RSS and
/// its peak, storage I/O, and CPU percent between samples. The rules are at the
/// top of ResourceAccounting.swift.
///
/// Thread-safe: `sample()` may be called from the periodic sampling thread and
/// from the engine (a user-requested reading) at once; samples are serialised.
public final class ResourceSampler: Sendable {
    /// The process group sampled.
    public let processGroup: pid_t
    private let startedAt: ContinuousClock.Instant
    private let includeIO: Bool
    private let accounting: ConditionLock<ResourceAccounting>

    /// A sampler for `processGroup` (``ChildProcess/processGroup``), whose totals
    /// start at zero at `startedAt` (pass ``ChildProcess/startedAt``). With
    /// `includeIO` false, /proc/PID/io is not read and the I/O fields stay nil.
    public init(processGroup: pid_t, startedAt: ContinuousClock.Instant = .now, includeIO: Bool = true) {
        self.processGroup = processGroup
        self.startedAt = startedAt
        self.includeIO = includeIO
        accounting = ConditionLock(ResourceAccounting(startedAt: startedAt))
    }

    /// Reads /proc (and the activity's own cgroup, if it has one) now.
    public func sample() -> ResourceSample {
        accounting.withLock { accounting in
            let cgroup = Cgroup.ownDirectory(of: processGroup)
            accounting.observe(ProcessTable.snapshot(group: processGroup, includeIO: includeIO))
            if let cgroup { accounting.observe(Cgroup.counters(in: cgroup), directory: cgroup) }
            return accounting.report(at: .now)
        }
    }

    /// The final sample (phase `After`), from the exit's snapshots and rusage (and
    /// the cgroup, if an earlier sample found one). Call once, after the child has
    /// exited. Its percent is the average over the whole activity, spawn to exit.
    public func finish(_ exit: ChildExit) -> ResourceSample {
        accounting.withLock { accounting in
            for snapshot in exit.finalSnapshots { accounting.observe(snapshot) }
            // With the status unknown, someone else reaped the leader: the rusage is all zeros.
            if exit.status != .unknown { accounting.observe(exit.usage) }
            if case let .cgroup(directory) = accounting.source {
                accounting.observe(Cgroup.counters(in: directory), directory: directory)
            }
            return accounting.report(at: startedAt + exit.duration, final: true)
        }
    }
}
