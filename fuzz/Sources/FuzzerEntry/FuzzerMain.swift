// Why each target defines `<module>_main`. SwiftPM links every executable with
// `--defsym main=<module>_main` (so tests can link an executable's code), and a
// `-parse-as-library` target with no `@main` never emits that symbol, so the link fails
// (swiftlang/swift-package-manager#8731). Each target therefore defines `<module>_main`
// with `@_cdecl` and calls `runFuzzer` from it: libFuzzer's own main() is then never
// linked, and `LLVMFuzzerRunDriver` does exactly what it would (same flags, same output).

import CFuzzerDriver

/// The entry point libFuzzer calls for each input.
public typealias FuzzerCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer's driver over the process arguments with `callback`; returns its status.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzerCallback
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}
