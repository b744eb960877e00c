// Writes the generated seeds of the storage targets under the directory given (fuzz/corpus):
// a journal and a snapshot holding every record kind, a torn journal, the harness-framed
// forms (payload lists, a snapshot body), and data directories for fuzz-recovery. Run with
// `swift run --package-path fuzz make-seeds fuzz/corpus` (a plain build: no sanitizers).

import BlackboardCore
import BlackboardStorage
import FuzzSupport
import Foundation

@main
struct MakeSeeds {
    static let records: [StorageRecord] = [
        .subscribe(uri: "urn:demo:sub", entries: [.exact("wf:ActivityExecuting"), try! ProfileEntry("res.>")], leaseSeconds: 60),
        .add(uri: "urn:demo:sub", entries: [try! ProfileEntry(">")]),
        .remove(uri: "urn:demo:sub", entries: [try! ProfileEntry(">")]),
        .register(uri: "urn:demo:pub", leaseSeconds: 30),
        .acknowledge(uri: "urn:demo:pub", version: 7),
        .disconnected(uri: "urn:demo:pub", role: .publisher, at: 1_763_719_200),
        .reconnected(uri: "urn:demo:pub", role: .publisher),
        .disconnected(uri: "urn:demo:sub", role: .subscriber, at: 1_763_719_201),
        .subscribe(uri: "urn:other:sub", entries: [.exact("a")], leaseSeconds: 5),
        .unsubscribe(uri: "urn:other:sub"),
        .register(uri: "urn:other:pub", leaseSeconds: 5),
        .unregister(uri: "urn:other:pub"),
    ]

    static func main() throws {
        let root = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "corpus")
        func write(_ target: String, _ name: String, _ bytes: [UInt8]) throws {
            let directory = root.appendingPathComponent(target)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: directory.appendingPathComponent(name))
        }
        let journal = records.reduce(JournalFormat.header(generation: 1)) { $0 + JournalFormat.frame($1) }
        var state = PersistedState()
        for record in records { state.apply(record) }
        let snapshot = try SnapshotFormat.encode(state, generation: 2)
        let payloadList = records.flatMap { record in
            let payload = RecordCodec.encode(record)
            return [UInt8(payload.count)] + payload
        }
        var body = littleEndianBytes(UInt64(state.records.count), width: 4)
        for record in state.records {
            let payload = RecordCodec.encode(record)
            body += littleEndianBytes(UInt64(payload.count), width: 4) + payload
        }
        let journal2 = JournalFormat.header(generation: 2) + JournalFormat.frame(records[3])

        try write("journal", "valid.journal", journal)
        try write("journal", "torn.journal", Array(journal.dropLast(5)))
        try write("journal", "payloads", payloadList)
        try write("snapshot", "valid.snapshot", snapshot)
        try write("snapshot", "body", body)
        func directory(_ flags: UInt8, _ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
            [flags, UInt8(first.count & 0xFF), UInt8(first.count >> 8)] + first + second
        }
        try write("recovery", "snapshot-and-journal", directory(0b0000_0011, snapshot, journal2))
        try write("recovery", "journal-only", directory(0b0000_0010, [], journal))
        try write("recovery", "stale-journal", directory(0b0000_0011, snapshot, journal))
        try write("recovery", "framed-both", directory(0b1010_1111, body, payloadList))
    }
}
