// Loading a data directory (Recovery.load) from arbitrary snapshot and journal bytes.
// The input's first byte says which files exist (bit 0 the snapshot, bit 1 the journal)
// and whether each is framed by the harness (bits 2 and 3: the part is a snapshot body
// or journal payloads, given correct checksums, generations from bits 4-5 and 6-7) or
// taken raw; the next two bytes (little-endian, modulo what is left plus one) say where
// the rest is cut in two, the snapshot's part first. Checks, beyond not
// crashing, the compaction invariant: the loaded state written as a snapshot of the
// current generation, with an empty journal of that generation, loads to the same state.

import BlackboardStorage
import FuzzSupport
import FuzzerEntry

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard input.bytes.count >= 3 else { return 0 }
    let flags = input.bytes[0]
    let rest = input.bytes.dropFirst(3)
    let cut = rest.startIndex + (Int(input.bytes[1]) | Int(input.bytes[2]) << 8) % (rest.count + 1)
    let snapshotPart = Array(rest[..<cut]), journalPart = rest[cut...]
    let snapshot: [UInt8]? = flags & 1 == 0 ? nil
        : flags & 4 == 0 ? snapshotPart : snapshotFile(generation: UInt64(flags >> 4 & 3), body: snapshotPart)
    let journal: [UInt8]? = flags & 2 == 0 ? nil
        : flags & 8 == 0 ? Array(journalPart) : journalFile(generation: UInt64(flags >> 6), payloads: payloads(journalPart))
    guard let (state, report) = try? Recovery.load(snapshot: snapshot, journal: journal) else { return 0 }
    require(report.subscribers == state.subscribers.count && report.publishers == state.publishers.count, "report counts")
    let generation = report.currentGeneration
    do {
        let compacted = try SnapshotFormat.encode(state, generation: generation)
        let (again, _) = try Recovery.load(snapshot: compacted, journal: JournalFormat.header(generation: generation))
        require(again == state, "compaction keeps the state")
    } catch {
        require(false, "a compacted directory does not load: \(error)")
    }
    return 0
}

@_cdecl("fuzz_recovery_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
