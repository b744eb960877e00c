// The configuration parser (Settings.parse(text:): the TOML subset, then the key table)
// on arbitrary text. Checks, beyond not crashing: the TOML layer's entries and errors
// name lines that exist, in order; and a file that parses also parses with its bare LF
// line ends made CR LF, to the same settings.

import BlackboardConfig
import FuzzSupport
import FuzzerEntry

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzInput(data, size).bytes, as: UTF8.self)
    let lineCount = text.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    let document = TOMLDocument(parsing: text)
    require(document.entries.allSatisfy { (1...lineCount).contains($0.line) }, "entry lines exist")
    require(zip(document.entries, document.entries.dropFirst()).allSatisfy { $0.line < $1.line }, "entries in order")
    require(document.errors.allSatisfy { $0.line.map { (1...lineCount).contains($0) } ?? false }, "error lines exist")
    guard let settings = try? Settings.parse(text: text) else { return 0 }
    // Only bare LFs gain a CR: a line that already ends in CR LF stays as it is.
    var crlf: [UInt8] = []
    for byte in text.utf8 {
        if byte == UInt8(ascii: "\n"), crlf.last != UInt8(ascii: "\r") { crlf.append(UInt8(ascii: "\r")) }
        crlf.append(byte)
    }
    do {
        let again = try Settings.parse(text: String(decoding: crlf, as: UTF8.self))
        require(again == settings, "CR LF line ends read as LF")
    } catch {
        require(false, "the file with CR LF line ends fails: \(error)")
    }
    return 0
}

@_cdecl("fuzz_config_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
