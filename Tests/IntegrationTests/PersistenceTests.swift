import BlackboardStorage
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's data directory: what start-up does with damage and torn
/// tails, and what the broker does when the disk refuses a write.
@Suite struct PersistenceTests {
    /// A directory holding a journal of `records`, as an earlier broker left it.
    func prepared(_ records: [StorageRecord], in directory: TemporaryPath) throws {
        let opened = try DataDirectory.open(directory.path, policy: .always)
        for record in records { try opened.directory.append(record) }
        opened.directory.close()
    }

    static let records: [StorageRecord] = [
        .subscribe(uri: "urn:test:s", entries: [.exact("wf:A"), .below("res")], leaseSeconds: 600),
        .register(uri: "urn:test:p", leaseSeconds: 600),
        .add(uri: "urn:test:s", entries: [.exact("wf:B")]),
    ]

    /// Runs the daemon on `directory` expecting it to refuse to start; returns its status and log.
    func refusedStart(_ directory: TemporaryPath) throws -> (Int32, String) {
        let log = SharedText()
        let process = Process()
        process.executableURL = productsDirectory().appendingPathComponent("blackboardd")
        process.arguments = ["--data-dir", directory.path, "--port", "0", "--admin-port", "0"]
        process.standardError = log.pipe()
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        waitForExit(process)
        try waitUntil("the log to be read") { log.value.contains("cannot start") }
        return (process.terminationStatus, log.value)
    }

    @Test func damageInTheMiddleOfTheJournalStopsStartUpNamingFileAndOffset() throws {
        let directory = TemporaryPath()
        try prepared(Self.records, in: directory)
        let journal = directory.path + "/" + Recovery.journalFile
        var bytes = try Data(contentsOf: URL(fileURLWithPath: journal))
        let second = JournalFormat.headerBytes + JournalFormat.frame(Self.records[0]).count
        bytes[second + 14] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: journal))

        let (status, log) = try refusedStart(directory)
        #expect(status == 1)
        #expect(log.contains(journal) && log.contains("offset \(second)"), "\(log)")
        // Nothing was changed: the damage is still there for the operator to look at.
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == bytes)

        // --repair-data keeps the record before the damage and saves the whole journal.
        let (status2, output) = try run(["--repair-data", directory.path])
        #expect(status2 == 0)
        #expect(output.contains("journal cut at offset \(second): \(bytes.count - second) bytes"), "\(output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal + ".damaged")) == bytes)
        let daemon = try Daemon.start(["--data-dir", directory.path])
        let watcher = try RawClient.hello(daemon.port, "urn:test:watcher")
        try watcher.send("REG\r\n")
        #expect(try watcher.readReply().isOK("REG"))
        guard case let .profile(_, entries) = try watcher.readReply() else { throw TestFailure("no PROFILE") }
        #expect(Set(entries.map(\.description)) == ["wf:A", "res.>"])
        #expect(try daemon.stop() == 0)
        #expect(try run(["--repair-data", directory.path]).1.contains("nothing to repair"))
    }

    /// Runs `blackboardd arguments` to completion; returns its status and standard output.
    func run(_ arguments: [String]) throws -> (Int32, String) {
        let output = SharedText()
        let process = Process()
        process.executableURL = productsDirectory().appendingPathComponent("blackboardd")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        waitForExit(process)
        output.append(String(decoding: data, as: UTF8.self))
        return (process.terminationStatus, output.value)
    }

    @Test func aTornTailIsCutLoggedAndTheRecordsBeforeItKept() throws {
        let directory = TemporaryPath()
        try prepared(Self.records, in: directory)
        let journal = URL(fileURLWithPath: directory.path + "/" + Recovery.journalFile)
        var bytes = try Data(contentsOf: journal)
        let whole = bytes.count
        bytes.append(contentsOf: JournalFormat.frame(.unsubscribe(uri: "urn:test:s")).prefix(9))
        try bytes.write(to: journal)

        let daemon = try Daemon.start(["--data-dir", directory.path])
        #expect(daemon.log.contains("cut 9 bytes at offset \(whole)"))
        let watcher = try RawClient.hello(daemon.port, "urn:test:watcher")
        try watcher.send("REG\r\n")
        #expect(try watcher.readReply().isOK("REG"))
        guard case let .profile(_, entries) = try watcher.readReply() else { throw TestFailure("no PROFILE") }
        #expect(Set(entries.map(\.description)) == ["wf:A", "wf:B", "res.>"])
        #expect(try daemon.stop() == 0)
    }

    @Test func anUnknownFormatVersionStopsStartUp() throws {
        let directory = TemporaryPath()
        try prepared(Self.records, in: directory)
        let journal = URL(fileURLWithPath: directory.path + "/" + Recovery.journalFile)
        var bytes = try Data(contentsOf: journal)
        bytes[8] = 0x7F
        try bytes.write(to: journal)
        let (status, log) = try refusedStart(directory)
        #expect(status == 1)
        #expect(log.contains("version"), "\(log)")
    }

    @Test func aSecondDaemonOnTheSameDirectoryIsRefused() throws {
        let directory = TemporaryPath()
        let first = try Daemon.start(["--data-dir", directory.path])
        let (status, log) = try refusedStart(directory)
        #expect(status == 1)
        #expect(log.contains("lock"), "\(log)")
        #expect(try first.stop() == 0)
    }

    /// Sets the daemon's soft file-size limit (RLIMIT_FSIZE) with prlimit(1); the
    /// hard limit stays unlimited, so the soft one can be raised again unprivileged.
    func limitFileSize(of pid: Int32, to limit: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--pid", "\(pid)", "--fsize=\(limit):unlimited"]
        try process.run()
        waitForExit(process)
        guard process.terminationStatus == 0 else { throw TestFailure("prlimit failed") }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"),
                   "needs prlimit(1) (util-linux) to lower and raise the daemon's file-size limit"))
    func aFailedWriteRefusesTheChangeAndASnapshotRecovers() throws {
        let directory = TemporaryPath()
        let daemon = try Daemon.start(["--data-dir", directory.path])
        let kept = try RawClient.hello(daemon.port, "urn:test:kept", options: "lease=600")
        try kept.subscribe(["wf:A"])

        // No write may grow a file past 16 bytes: every append and snapshot fails.
        try limitFileSize(of: daemon.pid, to: "16")
        let refused = try RawClient.hello(daemon.port, "urn:test:refused", options: "lease=600")
        try refused.send(profileFrame("SUB", ["wf:B"]))
        #expect(try refused.readReply().errorCode == "storage_failed")
        // The refusal is not fatal, and connections without a lease need no disk.
        let ephemeral = try RawClient.hello(daemon.port, "urn:test:ephemeral")
        try ephemeral.subscribe(["wf:C"])
        let watcher = try RawClient.hello(daemon.port, "urn:test:watcher")
        try watcher.send("REG\r\n")
        #expect(try watcher.readReply().isOK("REG"))
        guard case let .profile(_, entries) = try watcher.readReply() else { throw TestFailure("no PROFILE") }
        #expect(Set(entries.map(\.description)) == ["wf:A", "wf:C"])
        #expect(daemon.log.contains("storage failed"))

        // Room again: the next change first writes a snapshot, then goes through.
        try limitFileSize(of: daemon.pid, to: "unlimited")
        try refused.send(profileFrame("SUB", ["wf:B"]))
        #expect(try refused.readReply().isOK("SUB"))
        try waitUntil("the recovery to be logged") { daemon.log.contains("storage recovered by a snapshot") }
        daemon.kill()

        let restarted = try Daemon.start(["--data-dir", directory.path])
        let after = try RawClient.hello(restarted.port, "urn:test:watcher")
        try after.send("REG\r\n")
        #expect(try after.readReply().isOK("REG"))
        guard case let .profile(_, survived) = try after.readReply() else { throw TestFailure("no PROFILE") }
        #expect(Set(survived.map(\.description)) == ["wf:A", "wf:B"])
        #expect(try restarted.stop() == 0)
    }
}
