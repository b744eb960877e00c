import BlackboardStorage
import Foundation
import Testing

/// `blackboardd --check-data DIR` on directories prepared here: the real binary, read-only.
@Suite struct CheckDataTests {
    /// Runs `blackboardd --check-data directory` and returns its status, stdout and stderr.
    func check(_ directory: String) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = productsDirectory().appendingPathComponent("blackboardd")
        process.arguments = ["--check-data", directory]
        let files = directory + ".out"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: files) }
        _ = FileManager.default.createFile(atPath: files + "/stdout", contents: nil)
        _ = FileManager.default.createFile(atPath: files + "/stderr", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: files + "/stdout"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: files + "/stderr"))
        try process.run()
        waitForExit(process)
        return (process.terminationStatus, try String(contentsOfFile: files + "/stdout", encoding: .utf8),
                try String(contentsOfFile: files + "/stderr", encoding: .utf8))
    }

    func prepared(_ records: [StorageRecord]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-data-\(UUID().uuidString)").path
        let opened = try DataDirectory.open(directory, policy: .always)
        for record in records { try opened.directory.append(record) }
        opened.directory.close()
        return directory
    }

    func contents(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    @Test func aHealthyDirectoryWithATornTailIsUsableAndUnchanged() throws {
        let directory = try prepared([
            .subscribe(uri: "urn:test:s", entries: [.exact("wf:A"), .all], leaseSeconds: 30),
            .register(uri: "urn:test:p", leaseSeconds: 60),
            .acknowledge(uri: "urn:test:p", version: 2),
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = URL(fileURLWithPath: directory + "/" + Recovery.journalFile)
        var bytes = try Data(contentsOf: journal)
        let whole = bytes.count
        bytes.append(contentsOf: JournalFormat.frame(.unsubscribe(uri: "urn:test:s")).prefix(15))
        try bytes.write(to: journal)
        let before = try contents(directory)

        let result = try check(directory)
        #expect(result.status == 0)
        #expect(result.output.contains("journal: generation 1, 3 records replayed"))
        #expect(result.output.contains("tail: torn at offset \(whole) (15 bytes to cut)"))
        #expect(result.output.contains("subscriber urn:test:s: 2 entries, lease 30 s, connected"))
        #expect(result.output.contains("publisher urn:test:p: lease 60 s, acknowledged 2, connected"))
        #expect(result.output.contains("usable: yes"))
        #expect(try contents(directory) == before)
    }

    @Test func damageExitsOneNamingTheFileAndOffset() throws {
        let directory = try prepared([.register(uri: "urn:test:a", leaseSeconds: 1), .register(uri: "urn:test:b", leaseSeconds: 1)])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = URL(fileURLWithPath: directory + "/" + Recovery.journalFile)
        var bytes = try Data(contentsOf: journal)
        bytes[JournalFormat.headerBytes + 13] ^= 0xFF  // inside the first record's payload
        try bytes.write(to: journal)
        let before = try contents(directory)

        let result = try check(directory)
        #expect(result.status == 1)
        #expect(result.output.contains("usable: no"))
        #expect(result.error.contains("\(journal.path) at offset \(JournalFormat.headerBytes): damaged record: CRC-32 mismatch"))
        #expect(try contents(directory) == before)
    }
}
