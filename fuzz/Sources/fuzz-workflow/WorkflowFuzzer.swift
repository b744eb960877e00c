// The workflow file loader (Workflow.parse(bytes:): UTF-8, YAML through Yams, the schema,
// validation) on arbitrary bytes. Checks, beyond not crashing: a refused file reports at
// least one problem, each with a line and a column from 1.

import BlackboardWorkflow
import FuzzSupport
import FuzzerEntry

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    do {
        _ = try Workflow.parse(bytes: FuzzInput(data, size).bytes)
    } catch {
        if case let .invalidFile(problems) = error {
            require(!problems.isEmpty, "a refused file names a problem")
            require(problems.allSatisfy { $0.line >= 1 && $0.column >= 1 }, "problems have a line and a column")
        }
    }
    return 0
}

@_cdecl("fuzz_workflow_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
