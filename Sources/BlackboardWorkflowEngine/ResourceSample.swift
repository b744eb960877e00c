/// The resource use of an activity's whole process tree at one instant: the
/// fields of the `res.cpu`, `res.memory` and `res.io` concepts (docs/WORKFLOWS.md).
/// How each number is obtained is described at the top of ResourceAccounting.swift.
public struct ResourceSample: Equatable, Sendable {
    /// Where the numbers came from.
    public enum Source: Equatable, Sendable {
        /// /proc/PID/stat and /proc/PID/io of the group's processes.
        case proc
        /// The activity's own cgroup v2 directory (this path), with /proc for what it lacks.
        case cgroup(String)
    }

    /// User CPU seconds, cumulative since the spawn.
    public var userSeconds: Double
    /// System CPU seconds, cumulative since the spawn.
    public var systemSeconds: Double
    /// CPU use over the interval since the previous sample (or the spawn), in percent
    /// of one core: 200 means two cores busy throughout. /proc counts CPU time in
    /// 10 ms ticks, so over intervals much shorter than a second it is coarse (one
    /// busy process can read 50 or 150). In the final sample
    /// (``ResourceSampler/finish(_:)``), the average over the whole activity.
    public var percent: Double
    /// Resident memory of the tree now, in bytes (the sum over its running processes).
    public var rssBytes: UInt64
    /// The largest `rssBytes` seen so far by this activity's samples, in bytes: the
    /// largest sum at one sample, so processes that never ran at once never add up.
    public var peakRSSBytes: UInt64
    /// Storage bytes read, cumulative; nil when no /proc/PID/io of the group could be read.
    public var readBytes: UInt64?
    /// Storage bytes written, cumulative; nil when no /proc/PID/io of the group could be read.
    public var writeBytes: UInt64?
    /// How many of the group's processes were running (zombies not counted).
    public var processCount: Int
    /// Where the numbers came from.
    public var source: Source

    public init(userSeconds: Double = 0, systemSeconds: Double = 0, percent: Double = 0, rssBytes: UInt64 = 0,
                peakRSSBytes: UInt64 = 0, readBytes: UInt64? = nil, writeBytes: UInt64? = nil, processCount: Int = 0,
                source: Source = .proc) {
        self.userSeconds = userSeconds
        self.systemSeconds = systemSeconds
        self.percent = percent
        self.rssBytes = rssBytes
        self.peakRSSBytes = peakRSSBytes
        self.readBytes = readBytes
        self.writeBytes = writeBytes
        self.processCount = processCount
        self.source = source
    }

    /// All zeros: the `Before` sample of an activity that has not started.
    public static let zero = ResourceSample(readBytes: 0, writeBytes: 0)
}
