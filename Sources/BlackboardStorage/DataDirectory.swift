// A data directory: the snapshot, the journal, and a lock file. Opening it
// loads the state (Recovery.swift), cuts a torn journal tail, replaces a stale
// journal, and holds an exclusive flock on `blackboard.lock` so two daemons
// never write one directory. `check` only reads.
//
// Files:  blackboard.snapshot   (SnapshotFormat.swift; absent until the first snapshot)
//         blackboard.journal    (JournalFormat.swift)
//         blackboard.lock       (empty; flock'ed while open)
//         *.tmp                 (a replacement being written; removed on open)

#if canImport(Glibc)
import Glibc
#endif

/// An open, locked data directory with its current journal. One owner.
public final class DataDirectory {
    /// The lock file's name.
    public static let lockFile = "blackboard.lock"

    /// The directory's path.
    public let path: String
    /// The journal being appended to.
    public private(set) var journal: Journal
    private var lockFD: Int32

    private init(path: String, journal: Journal, lockFD: Int32) {
        self.path = path
        self.journal = journal
        self.lockFD = lockFD
    }

    deinit { close() }

    private static func file(_ directory: String, _ name: String) -> String { directory + "/" + name }

    /// Loads the directory read-only: nothing is created, cut, locked or removed.
    /// Errors name the file (as a path) and the offset. O(size of the files).
    public static func check(_ path: String) throws(StorageError) -> (PersistedState, LoadReport) {
        let snapshot = try FileIO.read(file(path, Recovery.snapshotFile))
        let journal = try FileIO.read(file(path, Recovery.journalFile))
        do {
            return try Recovery.load(snapshot: snapshot, journal: journal)
        } catch {
            throw StorageError(error.reason, file: error.file.map { file(path, $0) } ?? path, offset: error.offset)
        }
    }

    /// Opens (creating if needed) and locks `path`, loads the state, and makes the
    /// journal ready to append: a torn tail is cut (the report says where and how
    /// much, for the caller to log), a stale or missing journal is replaced by an
    /// empty one of the current generation. Damage is an error and changes nothing.
    public static func open(_ path: String, policy: FsyncPolicy) throws(StorageError)
        -> (directory: DataDirectory, state: PersistedState, report: LoadReport) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw FileIO.fail("mkdir", path) }
        let lockPath = file(path, lockFile)
        let lockFD = try FileIO.open(lockPath, O_RDWR | O_CREAT)
        if flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            let error = errno == EWOULDBLOCK ? StorageError(.locked, file: lockPath) : FileIO.fail("flock", lockPath)
            Glibc.close(lockFD)
            throw error
        }
        do {
            let (state, report) = try check(path)
            try FileIO.remove(file(path, Recovery.snapshotFile + ".tmp"))
            try FileIO.remove(file(path, Recovery.journalFile + ".tmp"))
            let journal = try openJournal(path, report: report, policy: policy)
            return (DataDirectory(path: path, journal: journal, lockFD: lockFD), state, report)
        } catch {
            Glibc.close(lockFD)
            throw error
        }
    }

    private static func openJournal(_ path: String, report: LoadReport, policy: FsyncPolicy) throws(StorageError) -> Journal {
        let journalPath = file(path, Recovery.journalFile)
        if report.journalGeneration == nil || report.journalStale {
            return try createJournal(path, generation: report.currentGeneration, policy: policy)
        }
        let fd = try FileIO.open(journalPath, O_WRONLY | O_APPEND)
        if case .torn = report.tail {
            do {
                try FileIO.truncate(fd, to: report.journalValidBytes, path: journalPath)
                try FileIO.fsync(fd, path: journalPath)
            } catch {
                Glibc.close(fd)
                throw error
            }
        }
        return Journal(fd: fd, path: journalPath, generation: report.currentGeneration,
                       size: report.journalValidBytes, policy: policy)
    }

    /// Atomically replaces the journal with an empty one of `generation`, and opens it.
    private static func createJournal(_ path: String, generation: UInt64, policy: FsyncPolicy) throws(StorageError) -> Journal {
        let journalPath = file(path, Recovery.journalFile)
        let header = JournalFormat.header(generation: generation)
        try FileIO.replace(journalPath, with: header, directory: path)
        let fd = try FileIO.open(journalPath, O_WRONLY | O_APPEND)
        return Journal(fd: fd, path: journalPath, generation: generation, size: header.count, policy: policy)
    }

    /// Appends a record to the journal (see `Journal.append`).
    public func append(_ record: StorageRecord) throws(StorageError) { try journal.append(record) }

    /// Makes what was appended durable as the policy promises (see `Journal.commit`).
    public func commit() throws(StorageError) { try journal.commit() }

    /// fsyncs the journal (the `interval` policy's timer calls this).
    public func sync() throws(StorageError) { try journal.sync() }

    /// Compacts: writes `state`, which must hold every record appended so far, as
    /// snapshot G+1 (G the journal's generation), then replaces the journal by an
    /// empty journal G+1. Each step is durable before the next, so a crash leaves
    /// snapshot G + journal G, or snapshot G+1 + journal G (skipped on load), or
    /// snapshot G+1 + journal G+1. O(size of the state).
    public func writeSnapshot(_ state: PersistedState) throws(StorageError) {
        let generation = journal.generation + 1
        try journal.sync()
        let bytes = try SnapshotFormat.encode(state, generation: generation)
        try FileIO.replace(Self.file(path, Recovery.snapshotFile), with: bytes, directory: path)
        let next = try Self.createJournal(path, generation: generation, policy: journal.policy)
        journal.close()
        journal = next
    }

    /// Syncs and closes the journal and releases the lock.
    public func close() {
        try? journal.sync()
        journal.close()
        if lockFD >= 0 { Glibc.close(lockFD) }
        lockFD = -1
    }
}
