/// One reading of an activity's resources (docs/WORKFLOWS.md, "Messages"): each part is
/// present only if its monitor was read (because its concept was wanted).
public struct ResourceSample: Sendable, Equatable {
    /// When in the activity's life the sample was taken.
    public enum Phase: String, Sendable, CaseIterable {
        case before = "Before", during = "During", after = "After"
        /// Asked for by the activity through the track file.
        case user = "User"
    }

    /// `res.cpu`: cumulative CPU time of the activity's process tree.
    public struct CPU: Sendable, Equatable {
        /// User-mode seconds.
        public var userSeconds: Double
        /// Kernel-mode seconds.
        public var systemSeconds: Double
        /// CPU use over the last interval, in percent of one core (0 for `Before`).
        public var percent: Double

        /// A reading with these fields.
        public init(userSeconds: Double, systemSeconds: Double, percent: Double) {
            (self.userSeconds, self.systemSeconds, self.percent) = (userSeconds, systemSeconds, percent)
        }
    }

    /// `res.memory`: resident memory of the process tree.
    public struct Memory: Sendable, Equatable {
        /// The tree's RSS now.
        public var rssBytes: UInt64
        /// The largest RSS seen for the activity.
        public var peakRSSBytes: UInt64

        /// A reading with these fields.
        public init(rssBytes: UInt64, peakRSSBytes: UInt64) {
            (self.rssBytes, self.peakRSSBytes) = (rssBytes, peakRSSBytes)
        }
    }

    /// `res.io`: cumulative storage I/O of the process tree.
    public struct IO: Sendable, Equatable {
        /// Bytes read from storage.
        public var readBytes: UInt64
        /// Bytes written to storage.
        public var writeBytes: UInt64

        /// A reading with these fields.
        public init(readBytes: UInt64, writeBytes: UInt64) {
            (self.readBytes, self.writeBytes) = (readBytes, writeBytes)
        }
    }

    /// `res.disk`: the file system of the work directory.
    public struct Disk: Sendable, Equatable {
        /// The work directory.
        public var path: String
        /// Bytes available to unprivileged users.
        public var freeBytes: UInt64
        /// The file system's size.
        public var totalBytes: UInt64

        /// A reading with these fields.
        public init(path: String, freeBytes: UInt64, totalBytes: UInt64) {
            (self.path, self.freeBytes, self.totalBytes) = (path, freeBytes, totalBytes)
        }
    }

    /// The phase.
    public var phase: Phase
    /// The CPU part, if read.
    public var cpu: CPU?
    /// The memory part, if read.
    public var memory: Memory?
    /// The I/O part, if read.
    public var io: IO?
    /// The disk part, if read.
    public var disk: Disk?

    /// A sample with the given parts.
    public init(phase: Phase, cpu: CPU? = nil, memory: Memory? = nil, io: IO? = nil, disk: Disk? = nil) {
        (self.phase, self.cpu, self.memory, self.io, self.disk) = (phase, cpu, memory, io, disk)
    }

    /// The fields of the part for `kind` (after the context and `phase`), or nil if absent.
    func fields(_ kind: ResourceKind) -> [(String, JSONValue)]? {
        func bytes(_ value: UInt64) -> JSONValue { .int(Int64(clamping: value)) }
        switch kind {
        case .cpu:
            return cpu.map {
                [("user_seconds", .double($0.userSeconds)), ("system_seconds", .double($0.systemSeconds)), ("percent", .double($0.percent))]
            }
        case .memory:
            return memory.map { [("rss_bytes", bytes($0.rssBytes)), ("peak_rss_bytes", bytes($0.peakRSSBytes))] }
        case .io:
            return io.map { [("read_bytes", bytes($0.readBytes)), ("write_bytes", bytes($0.writeBytes))] }
        case .disk:
            return disk.map { [("path", .string($0.path)), ("free_bytes", bytes($0.freeBytes)), ("total_bytes", bytes($0.totalBytes))] }
        }
    }
}
