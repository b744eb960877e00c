// Loading the persisted state from the bytes of a data directory's two files.
// Pure: DataDirectory reads the files and acts on the report.
//
// Generation rule. A snapshot of generation G holds everything written to
// journals of generations < G; the journal of generation G holds what came
// after it. Writing a snapshot while journal G is current: snapshot G+1 is
// made durable (temp file, fsync, rename, fsync the directory) before journal
// G is replaced by an empty journal G+1 (the same way). So the directory is
// always in one of these states, and loading does:
//   no snapshot, no journal     a new directory: the empty state.
//   no snapshot, journal 1      replay journal 1.
//   snapshot G, journal G       load the snapshot, replay the journal.
//   snapshot G, journal G-1     a crash after the snapshot's rename: the
//                               journal's records are all in the snapshot, so
//                               it is skipped (never applied twice) and the
//                               writer replaces it with an empty journal G.
// Anything else (a missing file, a journal ahead of its snapshot, a snapshot
// more than one generation ahead) means files were lost or mixed up: an error
// naming both generations, never an empty start.

/// What loading found, for logging and `blackboardd --check-data`.
public struct LoadReport: Equatable, Sendable {
    /// The snapshot's generation and record count, if there is one.
    public var snapshot: (generation: UInt64, records: Int)? {
        snapshotGeneration.map { ($0, snapshotRecords) }
    }
    /// The snapshot's generation; nil without a snapshot.
    public var snapshotGeneration: UInt64?
    /// Records in the snapshot's body.
    public var snapshotRecords = 0
    /// The journal's generation; nil without a journal.
    public var journalGeneration: UInt64?
    /// Records replayed from the journal (0 when it was skipped).
    public var journalRecords = 0
    /// Whether the journal was skipped as older than the snapshot.
    public var journalStale = false
    /// How the journal ends.
    public var tail: JournalFormat.Tail = .clean
    /// The length of the journal's whole records (what a torn tail is cut back to).
    public var journalValidBytes = 0
    /// The generation the journal written next must have.
    public var currentGeneration: UInt64 = 1
    /// Subscribers and publishers in the loaded state.
    public var subscribers = 0, publishers = 0

}

extension LoadReport: CustomStringConvertible {
    public var description: String {
        var lines: [String] = []
        if let snapshot {
            lines.append("snapshot: generation \(snapshot.generation), \(snapshot.records) records")
        } else {
            lines.append("snapshot: none")
        }
        if let journalGeneration {
            let what = journalStale ? "skipped (already in the snapshot)" : "\(journalRecords) records replayed"
            lines.append("journal: generation \(journalGeneration), \(what)")
        } else {
            lines.append("journal: none")
        }
        switch tail {
        case .clean: lines.append("tail: clean")
        case let .torn(offset, bytes): lines.append("tail: torn at offset \(offset) (\(bytes) bytes to cut)")
        }
        lines.append("subscribers: \(subscribers)")
        lines.append("publishers: \(publishers)")
        return lines.joined(separator: "\n")
    }
}

/// Rebuilds the state from a snapshot and a journal.
public enum Recovery {
    /// The snapshot's file name in the data directory.
    public static let snapshotFile = "blackboard.snapshot"
    /// The journal's file name in the data directory.
    public static let journalFile = "blackboard.journal"

    /// Loads `snapshot` then `journal` (nil: the file does not exist) by the generation
    /// rule above. Errors name the file and the offset. O(size of both files).
    public static func load(snapshot: [UInt8]?, journal: [UInt8]?) throws(StorageError) -> (PersistedState, LoadReport) {
        var state = PersistedState()
        var report = LoadReport()
        if let snapshot {
            do {
                let contents = try SnapshotFormat.decode(snapshot)
                state = contents.state
                report.snapshotGeneration = contents.generation
                report.snapshotRecords = contents.recordCount
                report.currentGeneration = contents.generation
            } catch {
                throw StorageError(error.reason, file: snapshotFile, offset: error.offset)
            }
        }
        if let journal {
            do {
                let generation = try JournalFormat.readHeader(journal)
                report.journalGeneration = generation
                if generation + 1 == report.currentGeneration, report.snapshotGeneration != nil {
                    report.journalStale = true
                } else if generation == report.currentGeneration {
                    let scan = try JournalFormat.scan(journal)
                    for record in scan.records { state.apply(record) }
                    report.journalRecords = scan.records.count
                    report.tail = scan.tail
                    report.journalValidBytes = scan.validBytes
                }
            } catch {
                throw StorageError(error.reason, file: journalFile, offset: error.offset)
            }
        }
        let fits = switch (report.snapshotGeneration, report.journalGeneration) {
        case (nil, nil): true
        case (nil, let journal?): journal == 1
        case (_?, nil): false
        case (let snapshot?, let journal?): journal == snapshot || (journal + 1 == snapshot)
        }
        guard fits else {
            throw StorageError(.generationMismatch(snapshot: report.snapshotGeneration, journal: report.journalGeneration))
        }
        report.subscribers = state.subscribers.count
        report.publishers = state.publishers.count
        return (state, report)
    }
}
