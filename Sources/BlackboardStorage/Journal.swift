// The open journal file: appends framed records under an fsync policy. The
// format is in JournalFormat.swift; DataDirectory opens and replaces it.

#if canImport(Glibc)
import Glibc
#endif

/// When appended records are forced to disk.
public enum FsyncPolicy: String, Sendable, CaseIterable {
    /// Before the broker answers: a change is acknowledged only once on disk
    /// (one fsync per batch of appends, ``Journal/commit()``).
    case always
    /// When the caller calls `sync()`, on a timer: a crash loses at most one interval.
    case interval
    /// Never explicitly; the kernel writes back when it likes.
    case never
}

/// An open journal of one generation, positioned at its end. Not thread-safe:
/// one owner (the broker's queue) calls it.
public final class Journal {
    /// The journal's generation.
    public let generation: UInt64
    /// The fsync policy.
    public let policy: FsyncPolicy
    /// The file's length in bytes (header and records).
    public private(set) var size: Int
    /// Records appended since this journal was opened.
    public private(set) var appended = 0
    /// Whether records were written since the last fsync.
    public private(set) var isDirty = false
    /// fsync calls made (for tests and stats).
    public private(set) var syncCount = 0

    private var fd: Int32
    private let path: String

    /// Takes over `fd`, open for writing at the end of a journal of `size` bytes.
    init(fd: Int32, path: String, generation: UInt64, size: Int, policy: FsyncPolicy) {
        self.fd = fd
        self.path = path
        self.generation = generation
        self.size = size
        self.policy = policy
    }

    deinit { close() }

    /// Appends one record with a single write, without fsync: the owner calls
    /// ``commit()`` once for a batch of appends (group commit). On failure the file
    /// may hold a torn frame, which the next open cuts off.
    public func append(_ record: StorageRecord) throws(StorageError) {
        let frame = JournalFormat.frame(record)
        try FileIO.write(fd, frame, path: path)
        size += frame.count
        appended += 1
        isDirty = true
    }

    /// Whether ``commit()`` has work to do: records appended since the last
    /// fsync under `.always`.
    public var needsCommit: Bool { isDirty && policy == .always }

    /// Makes the records appended so far as durable as the policy promises:
    /// with `.always` one fsync covers all of them; the other policies leave
    /// it to ``sync()`` (the interval timer) or to the kernel.
    public func commit() throws(StorageError) {
        if policy == .always { try sync() }
    }

    /// fsyncs the journal if anything was written since the last fsync (any policy).
    public func sync() throws(StorageError) {
        guard isDirty, fd >= 0 else { return }
        try FileIO.fsync(fd, path: path)
        isDirty = false
        syncCount += 1
    }

    /// Closes the file (without fsync; call `sync()` first to keep everything).
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
