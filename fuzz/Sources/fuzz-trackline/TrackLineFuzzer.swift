// One line of an activity's track file (TrackLine.parse) on arbitrary bytes, against the
// user concepts the example workflows declare. Checks, beyond not crashing: a parsed line
// names only declared concepts, each once.

import BlackboardWorkflow
import FuzzSupport
import FuzzerEntry

let declared: Set<String> = ["user.rows_generated", "user.rows_dropped", "user.note", "user.alert"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let line = try? TrackLine.parse(FuzzInput(data, size).bytes, declared: declared) else { return 0 }
    let names = line.user.map(\.concept)
    require(names.allSatisfy(declared.contains), "only declared concepts")
    require(Set(names).count == names.count, "each concept once")
    return 0
}

@_cdecl("fuzz_trackline_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
