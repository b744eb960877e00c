import BlackboardTestSupport
import BlackboardCore
import Testing
@testable import BlackboardStorage

@Suite struct CodecTests {
    @Test(arguments: [1, 2, 3, 4]) func randomRecordsRoundTrip(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<500 {
            let record = StorageRecord.random(using: &rng)
            #expect(try RecordCodec.decode(RecordCodec.encode(record)[...]) == record)
        }
    }

    @Test func everyTruncatedPayloadIsRefused() throws {
        let payload = RecordCodec.encode(.subscribe(uri: "urn:a", entries: [.exact("x"), .below("y"), .all], leaseSeconds: 9))
        for cut in 0..<payload.count {
            #expect(throws: StorageError.self) { try RecordCodec.decode(payload[..<cut]) }
        }
        #expect(throws: StorageError.self) { try RecordCodec.decode((payload + [0])[...]) }
    }

    @Test func invalidEntriesAndTagsAreRefused() {
        for (kind, bytes) in [(UInt8(2), "abc"), (0, ""), (1, "a.>"), (0, "a b"), (5, "a")] {
            var writer = ByteWriter()
            writer.u8(1); writer.short("u".utf8); writer.u32(1); writer.u32(1)
            writer.u8(kind); writer.short(bytes.utf8)
            #expect(throws: StorageError.self, "kind \(kind) \(bytes)") { try RecordCodec.decode(writer.bytes[...]) }
        }
        #expect(throws: StorageError.self) { try RecordCodec.decode([99, 0, 0][...]) }
    }

    @Test func hugeEntryCountDoesNotAllocate() {
        var writer = ByteWriter()
        writer.u8(1); writer.short("u".utf8); writer.u32(1); writer.u32(.max)
        #expect(throws: StorageError(.undecodable("entry count \(UInt32.max) too large"))) {
            try RecordCodec.decode(writer.bytes[...])
        }
    }

    @Test func stateReplaysToItsOwnRecords() {
        var rng = SplitMix64(seed: 7)
        var state = PersistedState()
        for _ in 0..<2000 { state.apply(.random(using: &rng)) }
        var rebuilt = PersistedState()
        for record in state.records { rebuilt.apply(record) }
        #expect(rebuilt == state)
        #expect(!state.subscribers.isEmpty && !state.publishers.isEmpty)
    }

    @Test func leaseZeroIsNeverPersistedAndLeasesExpire() {
        var state = PersistedState()
        state.apply(.subscribe(uri: "s", entries: [.all], leaseSeconds: 10))
        state.apply(.register(uri: "p", leaseSeconds: 5))
        state.apply(.acknowledge(uri: "p", version: 4))
        state.apply(.acknowledge(uri: "p", version: 2))
        #expect(state.publishers["p"]?.acknowledged == 4)
        state.apply(.disconnected(uri: "s", role: .subscriber, at: 100))
        state.apply(.disconnected(uri: "p", role: .publisher, at: 100))
        #expect(state.expired(now: 105).map(\.uri) == ["p"])
        #expect(state.expired(now: 110).map(\.uri) == ["s", "p"])
        state.apply(.subscribe(uri: "s", entries: [.all], leaseSeconds: 0))
        state.apply(.register(uri: "p", leaseSeconds: 0))
        #expect(state == PersistedState())
    }

    @Test func snapshotRoundTripsAndRefusesDamage() throws {
        var rng = SplitMix64(seed: 11)
        var state = PersistedState()
        for _ in 0..<500 { state.apply(.random(using: &rng)) }
        let bytes = try SnapshotFormat.encode(state, generation: 42)
        let contents = try SnapshotFormat.decode(bytes)
        #expect(contents.state == state && contents.generation == 42)
        for offset in stride(from: 0, to: bytes.count, by: 7) {
            var damaged = bytes
            damaged[offset] ^= 0x40
            #expect(throws: StorageError.self) { try SnapshotFormat.decode(damaged) }
        }
        for cut in [0, 4, 12, 35, 36, bytes.count - 1] {
            #expect(throws: StorageError.self) { try SnapshotFormat.decode(Array(bytes[..<cut])) }
        }
    }

    @Test func aClaimedBodyLargerThanDeflateCanYieldIsRefusedBeforeAllocating() throws {
        var bytes = try SnapshotFormat.encode(PersistedState(), generation: 1)
        // A valid header (its CRC recomputed) that claims a 1 GiB body for a few bytes of stream.
        let claimed = UInt64(SnapshotFormat.maxBodyBytes)
        for index in 0..<8 { bytes[20 + index] = UInt8(truncatingIfNeeded: claimed >> (8 * UInt64(index))) }
        let crc = Zlib.crc32(bytes[0..<32])
        for index in 0..<4 { bytes[32 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
        let error = #expect(throws: StorageError.self) { try SnapshotFormat.decode(bytes) }
        #expect("\(error!)".contains("cannot come from"))
    }

    @Test func unknownMagicAndVersionAreNamed() throws {
        var journal = JournalFormat.header(generation: 1)
        journal[8] = 9
        #expect(throws: StorageError(.unsupportedVersion(found: 9, supported: 1), offset: 0)) { try JournalFormat.scan(journal) }
        var snapshot = try SnapshotFormat.encode(PersistedState(), generation: 1)
        snapshot[8] = 2
        let error = #expect(throws: StorageError.self) { try SnapshotFormat.decode(snapshot) }
        #expect(error?.description == "data directory at offset 0: unsupported format version 2 (this build reads version 1)")
        let foreign = Array("GIF89a, not a journal at all".utf8)
        let magic = #expect(throws: StorageError.self) { try JournalFormat.scan(foreign) }
        #expect(magic?.description.contains("bad magic 4749463839612c20, expected 42424a4f55524e4c") == true)
    }
}
