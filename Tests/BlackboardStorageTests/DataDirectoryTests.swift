import BlackboardCore
import BlackboardTestSupport
import Testing
@testable import BlackboardStorage

@Suite struct DataDirectoryTests {
    static func replay(_ records: [StorageRecord]) -> PersistedState {
        var state = PersistedState()
        for record in records { state.apply(record) }
        return state
    }

    @Test(arguments: FsyncPolicy.allCases) func journalRoundTripsThroughFiles(policy: FsyncPolicy) throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let opened = try DataDirectory.open(temp.path, policy: policy)
        #expect(opened.state == PersistedState() && opened.report.journalGeneration == nil)
        for record in JournalTests.records { try opened.directory.append(record) }
        #expect(opened.directory.journal.syncCount == 0)
        #expect(opened.directory.journal.needsCommit == (policy == .always))
        try opened.directory.commit()
        #expect(opened.directory.journal.syncCount == (policy == .always ? 1 : 0))
        try opened.directory.sync()
        #expect(opened.directory.journal.isDirty == false)
        opened.directory.close()
        let (state, report) = try DataDirectory.check(temp.path)
        #expect(state == Self.replay(JournalTests.records))
        #expect(report.journalRecords == JournalTests.records.count && report.tail == .clean)
    }

    @Test func aTornTailIsCutOnOpenAndReportedByCheck() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let (bytes, offsets) = JournalTests.journal(JournalTests.records)
        try temp.write(Recovery.journalFile, Array(bytes[..<(bytes.count - 3)]))
        let (_, checked) = try DataDirectory.check(temp.path)
        #expect(checked.tail == .torn(offset: offsets.last!, bytes: bytes.count - 3 - offsets.last!))
        #expect(try temp.read(Recovery.journalFile)?.count == bytes.count - 3)  // check changed nothing
        let opened = try DataDirectory.open(temp.path, policy: .always)
        #expect(opened.state == Self.replay(Array(JournalTests.records.dropLast())))
        try opened.directory.append(.unsubscribe(uri: "urn:s2"))
        opened.directory.close()
        let (state, report) = try DataDirectory.check(temp.path)
        #expect(report.tail == .clean && report.journalRecords == JournalTests.records.count)
        #expect(state.subscribers.keys.sorted() == ["urn:s1"])
    }

    @Test func damageStopsOpenAndNamesTheFileAndOffset() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        var (bytes, offsets) = JournalTests.journal(JournalTests.records)
        bytes[offsets[1] + 14] ^= 0xFF
        try temp.write(Recovery.journalFile, bytes)
        let error = #expect(throws: StorageError.self) { try DataDirectory.open(temp.path, policy: .always) }
        #expect(error?.file == temp.file(Recovery.journalFile) && error?.offset == offsets[1])
        #expect(error?.description == "\(temp.file(Recovery.journalFile)) at offset \(offsets[1]): damaged record: CRC-32 mismatch")
        #expect(try temp.read(Recovery.journalFile) == bytes)
    }

    @Test func snapshotsStartANewGenerationAndNothingIsAppliedTwice() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let first = try DataDirectory.open(temp.path, policy: .never)
        var state = PersistedState()
        for record in JournalTests.records { try first.directory.append(record); state.apply(record) }
        try first.directory.writeSnapshot(state)
        #expect(first.directory.journal.generation == 2)
        let after: StorageRecord = .subscribe(uri: "urn:s3", entries: [.exact("x")], leaseSeconds: 1)
        try first.directory.append(after)
        state.apply(after)
        first.directory.close()
        let second = try DataDirectory.open(temp.path, policy: .never)
        #expect(second.state == state)
        #expect(second.report.snapshotGeneration == 2 && second.report.snapshotRecords > 0 && second.report.journalRecords == 1)
        second.directory.close()
    }

    @Test func aCrashBetweenSnapshotRenameAndNewJournalSkipsTheOldJournal() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        // Snapshot 2 holds journal 1's records with a `toggle` that replaying journal 1 twice would undo.
        let records: [StorageRecord] = JournalTests.records + [.unsubscribe(uri: "urn:s2")]
        let state = Self.replay(records)
        try temp.write(Recovery.snapshotFile, try SnapshotFormat.encode(state, generation: 2))
        try temp.write(Recovery.journalFile, JournalTests.journal(records, generation: 1).bytes)
        let (_, checked) = try DataDirectory.check(temp.path)
        #expect(checked.journalStale && checked.currentGeneration == 2)
        let opened = try DataDirectory.open(temp.path, policy: .always)
        #expect(opened.state == state && opened.directory.journal.generation == 2)
        try opened.directory.append(.subscribe(uri: "urn:s2", entries: [.all], leaseSeconds: 9))
        opened.directory.close()
        let (reloaded, report) = try DataDirectory.check(temp.path)
        #expect(report.journalGeneration == 2 && !report.journalStale && report.journalRecords == 1)
        #expect(reloaded.subscribers["urn:s2"]?.leaseSeconds == 9 && reloaded.subscribers.count == 2)
    }

    @Test func filesThatDoNotBelongTogetherAreRefused() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        try temp.write(Recovery.journalFile, JournalTests.journal([], generation: 3).bytes)
        #expect(throws: StorageError(.generationMismatch(snapshot: nil, journal: 3), file: temp.path)) {
            try DataDirectory.check(temp.path)
        }
        try temp.write(Recovery.snapshotFile, try SnapshotFormat.encode(PersistedState(), generation: 5))
        #expect(throws: StorageError.self) { try DataDirectory.check(temp.path) }
    }

    @Test func aSecondOpenIsLockedOut() async throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let first = try DataDirectory.open(temp.path, policy: .always)
        #expect(throws: StorageError(.locked, file: temp.file(DataDirectory.lockFile))) {
            try DataDirectory.open(temp.path, policy: .always)
        }
        first.directory.close()
        // Released on close. A child that another test spawns at that moment holds the lock
        // (its open file description) from its fork until its exec closes it (O_CLOEXEC):
        // seen once under ThreadSanitizer, where a spawn is slow. So retry for a while.
        let deadline = ContinuousClock.now + .seconds(5 * testTimeScale)
        let locked = StorageError(.locked, file: temp.file(DataDirectory.lockFile))
        while true {
            do {
                try DataDirectory.open(temp.path, policy: .always).directory.close()
                break
            } catch {
                guard error == locked, ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }
}
