// Reading processes from /proc.
//
// /proc/PID/stat is one line: `pid (comm) state ppid pgrp session tty_nr tpgid
// flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice
// num_threads itrealvalue starttime vsize rss ...` (proc(5)). `comm` may hold
// spaces and parentheses, so fields are counted from the *last* `)`. Times are in
// clock ticks (`sysconf(_SC_CLK_TCK)`), rss in pages. `cutime`/`cstime` hold the
// CPU time of children the process has waited for (and, recursively, theirs).
//
// /proc/PID/io is `key: value` lines; `read_bytes`/`write_bytes` are the bytes
// this process caused to be fetched from or sent to storage, including those of
// the children it has waited for. Reading it needs ptrace access to the process
// (the engine's own children qualify).
//
// A group is found by listing /proc and reading every process's stat line: there
// is no per-group index in /proc. About a millisecond for a few hundred processes.
//
// A snapshot is not atomic: each process is read at its own instant, in listing
// order (ascending pid). When a child is reaped, its counters move into its
// parent's `cutime`/`cstime` and io at once, so a child read *before* its parent
// and reaped between the two reads would be counted twice: once as itself and once
// inside the parent. That needs the child's pid to be lower than its parent's,
// which pid wrap-around makes common enough (pid_max is 32768 on many systems). So
// every process read before its parent is checked again once the pass is done: if
// it is gone, it may already be inside the parent's counters, and it is left out of
// the snapshot (at worst this sample undercounts it, the next one has it in the
// parent). A child read *after* its parent was still unreaped when the parent was
// read, so the parent's counters cannot include it yet — unless the reap had begun:
// a process in state `X` is left out of every snapshot for that reason.

#if canImport(Glibc)
import Glibc
#endif

/// One process as /proc shows it at one instant.
public struct ProcessRecord: Equatable, Sendable {
    /// Its process id.
    public var pid: pid_t
    /// Its parent's process id (1, or a subreaper, once its parent has exited).
    public var parent: pid_t
    /// Its process group id.
    public var group: pid_t
    /// The state letter (`R`, `S`, `D`, `Z`, …).
    public var state: UInt8
    /// When it started, in clock ticks since boot: with `pid`, its identity across pid reuse.
    public var startTicks: UInt64
    /// Its own user and system CPU time, in clock ticks.
    public var userTicks: UInt64
    public var systemTicks: UInt64
    /// User and system CPU time of the children it has waited for, in clock ticks.
    public var childUserTicks: UInt64
    public var childSystemTicks: UInt64
    /// Resident set size, in pages (0 for a zombie).
    public var rssPages: UInt64
    /// Storage bytes read and written by it and the children it has waited for;
    /// nil when /proc/PID/io was not read or is not readable.
    public var readBytes: UInt64?
    public var writeBytes: UInt64?

    /// Whether it has exited and waits to be reaped (`Z`) or is being reaped (`X`).
    /// A zombie uses no CPU or memory, but its counters are still readable.
    public var isZombie: Bool { state == UInt8(ascii: "Z") || state == UInt8(ascii: "X") }

    /// Whether its parent is reaping it (`X`): its counters may already be in the
    /// parent's, so snapshots leave it out, as if the reap had finished.
    var isBeingReaped: Bool { state == UInt8(ascii: "X") }
}

/// The processes of one process group at one instant.
public struct ProcessGroupSnapshot: Equatable, Sendable {
    /// The process group id.
    public var group: pid_t
    /// When the snapshot was taken.
    public var takenAt: ContinuousClock.Instant
    /// Every process of the group, zombies included, by pid.
    public var processes: [ProcessRecord]

    /// The processes that have not exited (zombies excluded).
    public var live: [ProcessRecord] { processes.filter { !$0.isZombie } }
}

/// Reads processes from /proc.
public enum ProcessTable {
    /// Clock ticks per second of the times in /proc/PID/stat.
    public static let ticksPerSecond: Double = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    /// The size of a page, in bytes (the unit of rss in /proc/PID/stat).
    public static let pageSize: UInt64 = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))

    /// The processes of group `group`, zombies included, with their /proc/PID/io
    /// counters when `includeIO`.
    public static func snapshot(group: pid_t, includeIO: Bool = true) -> ProcessGroupSnapshot {
        snapshot(group: group, includeIO: includeIO, source: .proc)
    }

    /// The pids of group `group` that are still running (not zombies): empty once
    /// every process of the group has exited. For tests, and for the engine to
    /// check that an activity left nothing behind.
    public static func liveProcesses(inGroup group: pid_t) -> [pid_t] {
        snapshot(group: group, includeIO: false).live.map(\.pid)
    }

    /// Where a snapshot reads processes from: /proc, or a stand-in in tests.
    struct Source: Sendable {
        /// The pids to look at, in the order they are to be read.
        var pids: @Sendable () -> [pid_t]
        /// The contents of a file such as `/proc/PID/stat`, or nil if it cannot be read.
        var contents: @Sendable (String) -> [UInt8]?

        static let proc = Source(pids: { ProcessTable.pids(root: "/proc") },
                                 contents: { SystemCalls.contents(of: $0, limit: 4096) })
    }

    static func snapshot(group: pid_t, includeIO: Bool, source: Source = .proc) -> ProcessGroupSnapshot {
        let takenAt = ContinuousClock.now
        var processes: [ProcessRecord] = []
        for pid in source.pids() {
            guard let bytes = source.contents("/proc/\(pid)/stat"), var record = parseStat(bytes),
                  record.group == group, !record.isBeingReaped
            else { continue }
            if includeIO, let io = source.contents("/proc/\(pid)/io") {
                let counters = parseIO(io)
                record.readBytes = counters.read
                record.writeBytes = counters.write
            }
            processes.append(record)
        }
        // Read before its parent and gone since: maybe inside the parent's counters (see the top of this file).
        var readAt: [pid_t: Int] = [:]
        for (index, record) in processes.enumerated() { readAt[record.pid] = index }
        processes = processes.enumerated().filter { index, record in
            guard let parentIndex = readAt[record.parent], parentIndex > index else { return true }
            guard let bytes = source.contents("/proc/\(record.pid)/stat"), let again = parseStat(bytes) else {
                return false
            }
            return again.startTicks == record.startTicks && !again.isBeingReaped
        }.map(\.element)
        processes.sort { $0.pid < $1.pid }
        return ProcessGroupSnapshot(group: group, takenAt: takenAt, processes: processes)
    }

    /// The numeric entries of the /proc directory: one per process (thread-group leader).
    static func pids(root: String) -> [pid_t] {
        guard let directory = opendir(root) else { return [] }
        defer { closedir(directory) }
        var pids: [pid_t] = []
        while let entry = readdir(directory) {
            let pid = withUnsafeBytes(of: &entry.pointee.d_name) { name -> pid_t? in
                var value: pid_t = 0
                for byte in name {
                    if byte == 0 { break }
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value &* 10 &+ pid_t(byte - UInt8(ascii: "0"))
                }
                return value > 0 ? value : nil
            }
            if let pid { pids.append(pid) }
        }
        return pids
    }

    /// Parses a /proc/PID/stat line; nil if it does not have the expected shape.
    static func parseStat(_ bytes: [UInt8]) -> ProcessRecord? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")),
              let pid = parseNumber(bytes[..<(bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.startIndex)])
        else { return nil }
        // Fields after `comm`, numbered from 0 = state (proc(5) field 3).
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        guard fields.count > 21, fields[0].count == 1 else { return nil }
        func number(_ index: Int) -> UInt64? { parseNumber(fields[index]) }
        guard let parent = number(1), let group = number(2), let user = number(11), let system = number(12),
              let childUser = number(13), let childSystem = number(14), let start = number(19), let rss = number(21)
        else { return nil }
        return ProcessRecord(
            pid: pid_t(truncatingIfNeeded: pid), parent: pid_t(truncatingIfNeeded: parent),
            group: pid_t(truncatingIfNeeded: group), state: fields[0].first!, startTicks: start,
            userTicks: user, systemTicks: system, childUserTicks: childUser, childSystemTicks: childSystem,
            rssPages: rss)
    }

    /// `read_bytes` and `write_bytes` from a /proc/PID/io file.
    static func parseIO(_ bytes: [UInt8]) -> (read: UInt64?, write: UInt64?) {
        var read: UInt64?
        var write: UInt64?
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = line[..<colon]
            let value = line[(colon + 1)...].drop { $0 == UInt8(ascii: " ") }
            if key.elementsEqual("read_bytes".utf8) { read = parseNumber(value) }
            if key.elementsEqual("write_bytes".utf8) { write = parseNumber(value) }
        }
        return (read, write)
    }

    /// A non-negative decimal number (a negative one, as /proc prints for some
    /// signed fields, is read as 0); nil if `digits` is empty or not a number.
    static func parseNumber(_ digits: some Collection<UInt8>) -> UInt64? {
        var body = digits[...]
        if body.first == UInt8(ascii: "-") {
            body = body.dropFirst()
            return body.isEmpty || !body.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? nil : 0
        }
        guard !body.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in body {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
