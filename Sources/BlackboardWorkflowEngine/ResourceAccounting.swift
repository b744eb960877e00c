// How a process group's samples become cumulative numbers for the whole tree.
//
// The tree's CPU and I/O are spread over processes that come and go. For every
// process of the group, /proc shows its own counters plus those of the children it
// has *waited for* (`cutime`/`cstime` in stat; /proc/PID/io folds them in already).
// Linux moves a child's counters into its parent's only at the wait, so:
//
//   tree total = Σ over processes in the group now (zombies included: their
//                counters stay readable until they are reaped)
//                   of (own + waited-for children's) counters
//              + Σ over processes that have left (by pid and start time)
//                   of their last-seen counters, *unless* their last-seen parent is
//                   still in the group — then that parent reaped them and already
//                   carries their counters in its own.
//
// A process counted as left that shows up again (the exit's snapshots are taken
// before the leader is reaped, and may be folded after a sample that no longer saw
// it) is taken out of the left ones and counted as present.
//
// A process whose parent is outside the group is an orphan reaped by init (or a
// subreaper); its last-seen counters are kept, and whatever it used after the
// last sample is lost. So the rule undercounts, never double-counts. Each total
// is then clamped to be at least the previous one, so it never goes backwards.
//
// At exit (`finish`), the final snapshots (taken with the leader a zombie) are
// folded the same way, and CPU is raised to `wait4`'s rusage where that is larger
// (microsecond rather than tick resolution). The exit's percent is the average
// over the whole activity, spawn to exit: the interval since the last periodic
// sample can be a few milliseconds, too short for a meaningful rate.
//
// RSS is the sum over the group's running processes (shared pages count once per
// process, so a tree of forks sums above what it really holds); the peak is the
// largest such sum seen by a sample, so a spike between samples is missed.
// (`wait4`'s `ru_maxrss` cannot fill that gap: for a posix_spawn child it includes
// the engine's own RSS, see `ProcessUsage.maxRSSBytes`.) CPU percent is the CPU time added between two samples over the
// wall-clock time between them (percent of one core).
//
// When the activity has a cgroup of its own (Cgroup.swift), its counters cover
// every process ever in it, reaped or not: CPU and I/O totals are raised to them,
// and memory is the cgroup's `memory.current` / `memory.peak` (which include page
// cache and kernel memory, so they read higher than an RSS sum).

/// The running totals of one activity's resource use. Not thread-safe: ``ResourceSampler`` serialises it.
struct ResourceAccounting {
    private struct Identity: Hashable {
        var pid: Int32
        var startTicks: UInt64
    }

    /// Counters of one process including its waited-for children: CPU in ticks, I/O in bytes.
    private struct Counters {
        var user: UInt64 = 0
        var system: UInt64 = 0
        var read: UInt64 = 0
        var write: UInt64 = 0

        static func += (lhs: inout Counters, rhs: Counters) {
            lhs.user += rhs.user
            lhs.system += rhs.system
            lhs.read += rhs.read
            lhs.write += rhs.write
        }
    }

    private var lastSeen: [Identity: (counters: Counters, parent: Int32)] = [:]
    /// Last-seen counters of the processes that left without a group member reaping them.
    private var departed: [Identity: Counters] = [:]
    private var userSeconds = 0.0
    private var systemSeconds = 0.0
    private var readBytes: UInt64 = 0
    private var writeBytes: UInt64 = 0
    private var ioSeen = false
    private var rssBytes: UInt64 = 0
    private var peakRSSBytes: UInt64 = 0
    private var processCount = 0
    /// Where the numbers come from: `.cgroup` once a sample found the activity's own cgroup.
    private(set) var source = ResourceSample.Source.proc
    private let startedAt: ContinuousClock.Instant
    private var reportedAt: ContinuousClock.Instant
    private var reportedCPUSeconds = 0.0
    private let ticksPerSecond: Double
    private let pageSize: UInt64

    /// Totals starting from zero at `startedAt` (the spawn: the first percent covers spawn → first sample).
    init(startedAt: ContinuousClock.Instant, ticksPerSecond: Double = ProcessTable.ticksPerSecond,
         pageSize: UInt64 = ProcessTable.pageSize) {
        self.startedAt = startedAt
        reportedAt = startedAt
        self.ticksPerSecond = ticksPerSecond
        self.pageSize = pageSize
    }

    /// Folds one /proc snapshot of the group into the totals.
    mutating func observe(_ snapshot: ProcessGroupSnapshot) {
        var present: [Identity: (counters: Counters, parent: Int32)] = [:]
        var rss: UInt64 = 0
        var running = 0
        for process in snapshot.processes {
            let counters = Counters(
                user: process.userTicks + process.childUserTicks, system: process.systemTicks + process.childSystemTicks,
                read: process.readBytes ?? 0, write: process.writeBytes ?? 0)
            present[Identity(pid: process.pid, startTicks: process.startTicks)] = (counters, process.parent)
            if process.readBytes != nil || process.writeBytes != nil { ioSeen = true }
            if !process.isZombie {
                rss += process.rssPages * pageSize
                running += 1
            }
        }
        let presentPIDs = Set(present.keys.map(\.pid))
        for (identity, seen) in lastSeen where present[identity] == nil && !presentPIDs.contains(seen.parent) {
            departed[identity] = seen.counters
        }
        for identity in present.keys { departed[identity] = nil }
        lastSeen = present
        var sum = Counters()
        for counters in departed.values { sum += counters }
        for seen in present.values { sum += seen.counters }
        userSeconds = max(userSeconds, Double(sum.user) / ticksPerSecond)
        systemSeconds = max(systemSeconds, Double(sum.system) / ticksPerSecond)
        readBytes = max(readBytes, sum.read)
        writeBytes = max(writeBytes, sum.write)
        rssBytes = rss
        peakRSSBytes = max(peakRSSBytes, rss)
        processCount = running
    }

    /// Raises the totals to an own cgroup's counters (see the top of this file).
    mutating func observe(_ cgroup: CgroupCounters, directory: String) {
        source = .cgroup(directory)
        if let micros = cgroup.userMicros { userSeconds = max(userSeconds, Double(micros) / 1e6) }
        if let micros = cgroup.systemMicros { systemSeconds = max(systemSeconds, Double(micros) / 1e6) }
        if let bytes = cgroup.readBytes { readBytes = max(readBytes, bytes); ioSeen = true }
        if let bytes = cgroup.writeBytes { writeBytes = max(writeBytes, bytes); ioSeen = true }
        if let bytes = cgroup.memoryCurrent { rssBytes = bytes }
        peakRSSBytes = max(peakRSSBytes, cgroup.memoryPeak ?? 0, rssBytes)
    }

    /// Raises the CPU totals to `wait4`'s rusage, at exit (not the peak: see the top of this file).
    mutating func observe(_ usage: ProcessUsage) {
        userSeconds = max(userSeconds, usage.userSeconds)
        systemSeconds = max(systemSeconds, usage.systemSeconds)
    }

    /// The totals now, with the CPU percent since the previous report (or the start);
    /// with `final`, the percent is the average from the start to `now` instead.
    mutating func report(at now: ContinuousClock.Instant, final: Bool = false) -> ResourceSample {
        let cpu = userSeconds + systemSeconds
        let since = final ? startedAt : reportedAt
        let wall = (now - since).seconds
        let percent = wall > 0 ? max(0, cpu - (final ? 0 : reportedCPUSeconds)) / wall * 100 : 0
        if now > reportedAt {
            reportedAt = now
            reportedCPUSeconds = cpu
        }
        return ResourceSample(
            userSeconds: userSeconds, systemSeconds: systemSeconds, percent: percent, rssBytes: rssBytes,
            peakRSSBytes: peakRSSBytes, readBytes: ioSeen ? readBytes : nil, writeBytes: ioSeen ? writeBytes : nil,
            processCount: processCount, source: source)
    }
}
