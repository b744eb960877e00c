// The snapshot reader (SnapshotFormat.decode) on arbitrary files. An input that starts
// with the snapshot magic is the file itself; any other input is the uncompressed body,
// wrapped in a header with the right length and CRCs and a stored zlib stream, so that
// mutations reach the record decoder behind the checksums. Checks, beyond not crashing:
// a decoded state re-encodes (SnapshotFormat.encode) to a snapshot that decodes to the
// same state and generation.

import BlackboardStorage
import FuzzSupport
import FuzzerEntry

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let raw = input.bytes.starts(with: SnapshotFormat.magic)
    let file = raw ? input.bytes : snapshotFile(generation: input.hash % 4, body: input.bytes)
    guard let contents = try? SnapshotFormat.decode(file) else { return 0 }
    do {
        let again = try SnapshotFormat.decode(try SnapshotFormat.encode(contents.state, generation: contents.generation))
        require(again.state == contents.state && again.generation == contents.generation, "state re-encodes to itself")
    } catch {
        require(false, "a decoded state does not re-encode: \(error)")
    }
    return 0
}

@_cdecl("fuzz_snapshot_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
