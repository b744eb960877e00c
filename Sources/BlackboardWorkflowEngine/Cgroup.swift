// cgroup v2 counters of an activity that runs in a cgroup of its own.
//
// /proc/PID/cgroup holds `0::PATH` for the v2 (unified) hierarchy, PATH relative
// to the mount point of the `cgroup2` file system (found in /proc/self/mountinfo:
// /sys/fs/cgroup on a pure v2 host, /sys/fs/cgroup/unified on a hybrid one). The
// files read there:
//   cpu.stat        `usage_usec N`, `user_usec N`, `system_usec N`, … one per line
//   memory.current  one number: bytes charged to the cgroup now
//   memory.peak     one number: the most ever charged (Linux 5.19+)
//   io.stat         one line per device: `MAJ:MIN rbytes=N wbytes=N rios=N …`
// A file that is missing (its controller not enabled) leaves that counter nil.
//
// "Of its own" means: a v2 path other than the root `/` and other than the
// engine's own cgroup, i.e. someone put the activity there. The engine does not
// create cgroups. In the development container (hybrid v1/v2, everything at the
// v2 root `0::/`, only `hugetlb` delegated to v2) no activity qualifies, and the
// sampler reads /proc only.

/// Counters read from one cgroup v2 directory; nil where the file is missing.
struct CgroupCounters: Equatable {
    var userMicros: UInt64?
    var systemMicros: UInt64?
    var memoryCurrent: UInt64?
    var memoryPeak: UInt64?
    var readBytes: UInt64?
    var writeBytes: UInt64?
}

enum Cgroup {
    /// Where the cgroup2 file system is mounted, if it is.
    static let mountPoint: String? = SystemCalls.contents(of: "/proc/self/mountinfo", limit: 1 << 20)
        .flatMap(mountPoint(inMountinfo:))
    /// The engine's own v2 cgroup path.
    static let enginePath: String? = SystemCalls.contents(of: "/proc/self/cgroup").flatMap(unifiedPath)

    /// The cgroup directory of process `pid` when it is in a v2 cgroup of its own (see the top of this file).
    static func ownDirectory(of pid: Int32) -> String? {
        guard let mountPoint, let bytes = SystemCalls.contents(of: "/proc/\(pid)/cgroup"),
              let path = unifiedPath(bytes), path != "/", path != enginePath
        else { return nil }
        return mountPoint + path
    }

    /// Reads the counters in `directory`.
    static func counters(in directory: String) -> CgroupCounters {
        var counters = CgroupCounters()
        if let text = SystemCalls.contents(of: directory + "/cpu.stat") {
            for line in text.split(separator: UInt8(ascii: "\n")) {
                let parts = line.split(separator: UInt8(ascii: " "))
                guard parts.count == 2 else { continue }
                if parts[0].elementsEqual("user_usec".utf8) { counters.userMicros = ProcessTable.parseNumber(parts[1]) }
                if parts[0].elementsEqual("system_usec".utf8) { counters.systemMicros = ProcessTable.parseNumber(parts[1]) }
            }
        }
        counters.memoryCurrent = number(in: directory + "/memory.current")
        counters.memoryPeak = number(in: directory + "/memory.peak")
        if let text = SystemCalls.contents(of: directory + "/io.stat") {
            var read: UInt64 = 0
            var write: UInt64 = 0
            for field in text.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }) {
                if field.starts(with: "rbytes=".utf8) { read += ProcessTable.parseNumber(field.dropFirst(7)) ?? 0 }
                if field.starts(with: "wbytes=".utf8) { write += ProcessTable.parseNumber(field.dropFirst(7)) ?? 0 }
            }
            counters.readBytes = read
            counters.writeBytes = write
        }
        return counters
    }

    /// The path of the `0::PATH` line of a /proc/PID/cgroup file.
    static func unifiedPath(_ bytes: [UInt8]) -> String? {
        for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: "0::".utf8) {
            return String(decoding: line.dropFirst(3), as: UTF8.self)
        }
        return nil
    }

    /// The mount point of the first `cgroup2` file system in a /proc/PID/mountinfo
    /// file (`ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS… - FSTYPE SOURCE OPTIONS`).
    static func mountPoint(inMountinfo bytes: [UInt8]) -> String? {
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard let dash = fields.firstIndex(where: { $0.elementsEqual("-".utf8) }), dash + 1 < fields.count,
                  fields[dash + 1].elementsEqual("cgroup2".utf8), fields.count > 4
            else { continue }
            return String(decoding: fields[4], as: UTF8.self)
        }
        return nil
    }

    private static func number(in path: String) -> UInt64? {
        guard let text = SystemCalls.contents(of: path) else { return nil }
        return ProcessTable.parseNumber(text.prefix { $0 != UInt8(ascii: "\n") })
    }
}
