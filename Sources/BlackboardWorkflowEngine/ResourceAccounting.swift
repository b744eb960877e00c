// How a process group's samples become cumulative numbers for the whole tree.
//
// CPU and I/O counters in /proc are per process and include those of the children
// it has *waited for* (`cutime`/`cstime` in stat; /proc/PID/io folds them in too).
// When a child is reaped, Linux adds its counters (its own plus its waited-for
// children's) to its parent's, at once. So a process that has gone is held either
// by a group member (its reaper, or its reaper's reaper, … is still in the group),
// by the leader (which the engine reaps, and whose `wait4` rusage is its own plus
// its waited-for counters), or by nobody we can read (an orphan: its parent died
// first, it was reparented to init, outside the group, and init reaped it).
//
// The rule, at every sample:
//
//   total = Σ over the processes in the group now (zombies included)
//               of their own + waited-for counters
//         + Σ over the *lost* processes of their last-seen own + waited-for counters
//
// A process missing since the previous snapshot is lost when the chain of
// last-seen parents, followed through the processes that went missing with it,
// ends outside the group without meeting the leader. When the chain meets a
// process still in the group, or the leader (present or not), that process holds
// its counters, and it is not counted again. (Looking at the direct parent only is
// not enough: in `sh -c 'sh script.sh'`, the script's awk and then the script's
// shell are often both reaped between two samples, and the awk was counted once
// as lost and once inside the leader's `cutime`: a 1.3 s run reported as 2.1 s.)
// The leader is never lost: when it is gone, its last-seen counters stand in
// until `wait4`'s arrive. A process seen again (the exit's snapshots are folded
// after samples that may already have found the group empty) is taken out of the
// lost ones and counted as present.
//
// At exit (`finish`), the exit's snapshots (the leader a zombie, leftovers killed)
// are folded the same way, then the leader's term is replaced by `wait4`'s rusage:
// the same quantity, to the microsecond rather than the 10 ms tick. So
//
//   final CPU = wait4(leader) + Σ other processes of the last snapshot + Σ lost
//
// `wait4` covers exactly the processes whose chain reaches the leader, the other
// two terms exactly those whose chain does not (orphans, and leftovers the reaper
// killed: their parent is init by then), so nothing is counted twice, and for a
// tree without orphans the final CPU is `wait4`'s to the microsecond. I/O has no
// `wait4`: the zombie leader's /proc/PID/io already holds its waited-for children.
//
// What this misses, always as an undercount: what an orphan used after the last
// sample that saw it; a process orphaned and reaped by init between two samples
// (its chain still names its first parent, so it counts as held); a process that
// left the group (`setpgid`, `setsid`) while running (likewise). Each total is
// clamped to be at least the previous one, so no sample goes backwards and the
// final one is at least every earlier one; the clamp only matters in those cases.
// A snapshot that races with a reap is dealt with when it is read (ProcessTable.swift).
//
// RSS is the sum over the group's processes running at one snapshot (shared pages
// count once per process, so a tree of forks sums above what it really holds).
// `peak` is the largest such sum any sample saw: two processes that never ran at
// once never add up, two that did add up only if a sample caught them together,
// and a spike between samples is missed. (`wait4`'s `ru_maxrss` cannot fill that
// gap: it is one process's maximum, and for a posix_spawn child it includes the
// engine's own RSS, see `ProcessUsage.maxRSSBytes`.)
//
// CPU percent is the CPU time added between two samples over the wall-clock time
// between them (percent of one core). The exit's percent is the average over the
// whole activity, spawn to exit: the interval since the last periodic sample can
// be a few milliseconds, too short for a meaningful rate.
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

        /// Each counter the larger of the two.
        func raised(to other: Counters) -> Counters {
            Counters(user: max(user, other.user), system: max(system, other.system),
                     read: max(read, other.read), write: max(write, other.write))
        }
    }

    private struct Seen {
        var counters: Counters
        var parent: Int32
    }

    /// The processes of the latest snapshot.
    private var lastSeen: [Identity: Seen] = [:]
    /// Last-seen counters of the processes no group member holds (see the top of this file).
    private var lost: [Identity: Counters] = [:]
    /// The leader's counters, the largest seen (kept once it is gone).
    private var leader = Counters()
    /// The sum over the latest snapshot's other processes.
    private var others = Counters()
    /// `wait4`'s rusage of the leader, once it was reaped.
    private var leaderUsage: ProcessUsage?
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

    /// Folds one /proc snapshot of the group into the totals. The leader is the
    /// process whose pid is the group id.
    mutating func observe(_ snapshot: ProcessGroupSnapshot) {
        var present: [Identity: Seen] = [:]
        var others = Counters()
        var rss: UInt64 = 0
        var running = 0
        for process in snapshot.processes {
            let counters = Counters(
                user: process.userTicks + process.childUserTicks,
                system: process.systemTicks + process.childSystemTicks,
                read: process.readBytes ?? 0, write: process.writeBytes ?? 0)
            present[Identity(pid: process.pid, startTicks: process.startTicks)] = Seen(
                counters: counters, parent: process.parent)
            if process.pid == snapshot.group {
                leader = leader.raised(to: counters)
            } else {
                others += counters
            }
            if process.readBytes != nil || process.writeBytes != nil { ioSeen = true }
            if !process.isZombie {
                rss += process.rssPages * pageSize
                running += 1
            }
        }
        let presentPIDs = Set(present.keys.map(\.pid))
        var missing: [Int32: Seen] = [:]
        for (identity, seen) in lastSeen where present[identity] == nil { missing[identity.pid] = seen }
        for (identity, seen) in lastSeen where present[identity] == nil && identity.pid != snapshot.group {
            if !Self.isHeld(parent: seen.parent, present: presentPIDs, missing: missing, leader: snapshot.group) {
                lost[identity] = seen.counters
            }
        }
        for identity in present.keys { lost[identity] = nil }
        lastSeen = present
        self.others = others
        rssBytes = rss
        peakRSSBytes = max(peakRSSBytes, rss)
        processCount = running
        raiseTotals()
    }

    /// Whether a process that went missing, last seen with parent `parent`, is held
    /// by the group: its chain of parents, through the processes missing with it,
    /// meets a present process or the leader.
    private static func isHeld(parent: Int32, present: Set<Int32>, missing: [Int32: Seen], leader: Int32) -> Bool {
        var pid = parent
        var visited: Set<Int32> = []
        while true {
            if pid == leader || present.contains(pid) { return true }
            guard let seen = missing[pid], visited.insert(pid).inserted else { return false }
            pid = seen.parent
        }
    }

    /// Raises the totals to the rule's sum (see the top of this file); they never go down.
    private mutating func raiseTotals() {
        var sum = others
        for counters in lost.values { sum += counters }
        readBytes = max(readBytes, sum.read + leader.read)
        writeBytes = max(writeBytes, sum.write + leader.write)
        if let leaderUsage {
            userSeconds = max(userSeconds, Double(sum.user) / ticksPerSecond + leaderUsage.userSeconds)
            systemSeconds = max(systemSeconds, Double(sum.system) / ticksPerSecond + leaderUsage.systemSeconds)
        } else {
            sum += leader
            userSeconds = max(userSeconds, Double(sum.user) / ticksPerSecond)
            systemSeconds = max(systemSeconds, Double(sum.system) / ticksPerSecond)
        }
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

    /// At exit: `wait4`'s rusage of the leader takes the place of the leader's /proc
    /// CPU counters (not the peak: see the top of this file).
    mutating func observe(_ usage: ProcessUsage) {
        leaderUsage = usage
        raiseTotals()
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
