import BlackboardCore
import Testing
@testable import BlackboardStorage

@Suite struct JournalTests {
    static let records: [StorageRecord] = [
        .subscribe(uri: "urn:s1", entries: [.exact("wf:A"), .below("res")], leaseSeconds: 30),
        .register(uri: "urn:p1", leaseSeconds: 60),
        .acknowledge(uri: "urn:p1", version: 3),
        .subscribe(uri: "urn:s2", entries: [.all], leaseSeconds: 5),
        .disconnected(uri: "urn:s1", role: .subscriber, at: 1_700_000_000),
    ]

    static func journal(_ records: [StorageRecord], generation: UInt64 = 1) -> (bytes: [UInt8], offsets: [Int]) {
        var bytes = JournalFormat.header(generation: generation)
        var offsets: [Int] = []
        for record in records {
            offsets.append(bytes.count)
            bytes += JournalFormat.frame(record)
        }
        return (bytes, offsets)
    }

    @Test func scanRoundTrips() throws {
        let (bytes, offsets) = Self.journal(Self.records, generation: 9)
        let scan = try JournalFormat.scan(bytes)
        #expect(scan.records == Self.records && scan.offsets == offsets && scan.generation == 9)
        #expect(scan.tail == .clean && scan.validBytes == bytes.count)
    }

    @Test func truncationAtEveryOffsetOfTheLastRecordRecoversTheRecordsBefore() throws {
        let (bytes, offsets) = Self.journal(Self.records)
        let last = offsets.last!
        for cut in last..<bytes.count {
            let scan = try JournalFormat.scan(Array(bytes[..<cut]))
            #expect(scan.records == Array(Self.records.dropLast()), "cut at \(cut)")
            #expect(scan.validBytes == last)
            #expect(scan.tail == (cut == last ? .clean : .torn(offset: last, bytes: cut - last)), "cut at \(cut)")
        }
    }

    @Test func zeroFilledOrGarbledLastFrameIsATornTail() throws {
        let (bytes, offsets) = Self.journal(Self.records)
        let zeroed = bytes + [UInt8](repeating: 0, count: 100)
        #expect(try JournalFormat.scan(zeroed).tail == .torn(offset: bytes.count, bytes: 100))
        var garbled = bytes
        garbled[garbled.count - 1] ^= 0xFF
        let scan = try JournalFormat.scan(garbled)
        #expect(scan.tail == .torn(offset: offsets.last!, bytes: bytes.count - offsets.last!))
    }

    @Test func aFlippedByteInAMiddleRecordIsRefusedWithItsOffset() throws {
        let (bytes, offsets) = Self.journal(Self.records)
        let middle = offsets[2]
        for offset in middle..<offsets[3] {
            var damaged = bytes
            damaged[offset] ^= 0x10
            let error = #expect(throws: StorageError.self) { try JournalFormat.scan(damaged) }
            #expect(error?.offset == middle, "flip at \(offset)")
            #expect(error?.isDamage == true)
        }
    }

    @Test func aFlippedLengthInTheLastRecordIsDamageNotATornTail() throws {
        let (bytes, offsets) = Self.journal(Self.records)
        var damaged = bytes
        damaged[offsets.last! + 2] ^= 0x01
        #expect(throws: StorageError(.lengthChecksum, offset: offsets.last!)) { try JournalFormat.scan(damaged) }
    }

    @Test func aDamagedHeaderIsRefused() {
        var bytes = Self.journal(Self.records).bytes
        bytes[15] ^= 1
        #expect(throws: StorageError(.headerChecksum, offset: 0)) { try JournalFormat.scan(bytes) }
        #expect(throws: StorageError(.truncatedHeader(length: 20), offset: 0)) { try JournalFormat.scan(Array(bytes[..<20])) }
    }
}
