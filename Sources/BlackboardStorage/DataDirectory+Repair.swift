// `blackboardd --repair-data DIR`: the operator's way past a damaged journal
// record (Redis's redis-check-aof --fix). The journal is saved whole as
// `blackboard.journal.damaged`, then cut at the damaged record, so the
// records before it load and those after it are lost; nothing is guessed.
// Damage anywhere else (the snapshot, a header) is not repaired.

#if canImport(Glibc)
import Glibc
#endif

/// What a repair did.
public struct RepairReport: Equatable, Sendable {
    /// Where the journal was cut, and how many bytes were cut off.
    public var offset: Int
    public var bytesCut: Int
    /// Where the whole damaged journal was saved.
    public var savedAs: String
    /// The directory as it loads now.
    public var report: LoadReport
}

extension DataDirectory {
    /// The name the damaged journal is saved under.
    public static let damagedJournalFile = Recovery.journalFile + ".damaged"

    /// Repairs a damaged journal record in the directory at `path`, holding its lock.
    /// - Returns: nil when the directory loads as it is (nothing to repair).
    /// - Throws: the load error when the damage is not in a journal record (or the
    ///   repaired journal still does not load); `.locked` when a daemon has it open.
    public static func repair(_ path: String) throws(StorageError) -> RepairReport? {
        let lockPath = path + "/" + lockFile
        let lockFD = try FileIO.open(lockPath, O_RDWR | O_CREAT)
        defer { Glibc.close(lockFD) }
        if flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            throw errno == EWOULDBLOCK ? StorageError(.locked, file: lockPath) : FileIO.fail("flock", lockPath)
        }
        let journalPath = path + "/" + Recovery.journalFile
        let damage: StorageError
        do {
            _ = try check(path)
            return nil
        } catch {
            damage = error
        }
        guard damage.file == journalPath, let offset = damage.offset, damage.isRecordDamage,
              let bytes = try FileIO.read(journalPath)
        else { throw damage }
        let saved = path + "/" + damagedJournalFile
        try FileIO.replace(saved, with: bytes, directory: path)
        try FileIO.replace(journalPath, with: Array(bytes[..<offset]), directory: path)
        let (_, report) = try check(path)
        return RepairReport(offset: offset, bytesCut: bytes.count - offset, savedAs: saved, report: report)
    }
}
