// The journal reader (JournalFormat.scan) on arbitrary files. An input that starts with
// the journal magic is the file itself; any other input is cut into record payloads
// (FuzzSupport.payloads) and framed with correct lengths and CRCs, so that mutations
// reach the record decoder behind the checksums. Checks, beyond not crashing:
//   - a framed journal either scans whole and clean, or fails as `undecodable` (its
//     frames all pass their checks);
//   - a scan's offsets rise, its tail starts where its whole records end, and cutting
//     the file there (what the writer does to a torn tail) scans to the same records;
//   - the records re-encoded by JournalFormat.frame scan back to themselves.

import BlackboardStorage
import FuzzSupport
import FuzzerEntry

func checkScan(_ file: [UInt8], _ scan: JournalFormat.Scan) {
    require(scan.offsets.count == scan.records.count, "one offset per record")
    require(zip(scan.offsets, scan.offsets.dropFirst()).allSatisfy { $0 < $1 }, "offsets rise")
    require(scan.offsets.allSatisfy { $0 >= JournalFormat.headerBytes && $0 < scan.validBytes }, "offsets inside")
    switch scan.tail {
    case .clean:
        require(scan.validBytes == file.count, "a clean journal is whole")
    case let .torn(offset, bytes):
        require(offset == scan.validBytes && offset + bytes == file.count, "the torn tail follows the whole records")
        do {
            let cut = try JournalFormat.scan(Array(file[..<scan.validBytes]))
            require(cut.records == scan.records && cut.tail == .clean, "cutting the torn tail keeps the records")
        } catch {
            require(false, "cutting the torn tail made the journal unreadable: \(error)")
        }
    }
    var rewritten = JournalFormat.header(generation: scan.generation)
    for record in scan.records { rewritten += JournalFormat.frame(record) }
    do {
        let again = try JournalFormat.scan(rewritten)
        require(again.records == scan.records && again.tail == .clean, "records re-encode to themselves")
    } catch {
        require(false, "re-encoded records do not scan: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let raw = input.bytes.starts(with: JournalFormat.magic)
    let framed = raw ? [] : payloads(input.bytes[...])
    let file = raw ? input.bytes : journalFile(generation: input.hash % 4, payloads: framed)
    let scan: JournalFormat.Scan
    do {
        scan = try JournalFormat.scan(file)
    } catch {
        if !raw, case .undecodable = error.reason {} else {
            require(raw, "a well-framed journal failed with \(error)")
        }
        return 0
    }
    if !raw { require(scan.records.count == framed.count && scan.tail == .clean, "every framed record is read") }
    checkScan(file, scan)
    return 0
}

@_cdecl("fuzz_journal_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
