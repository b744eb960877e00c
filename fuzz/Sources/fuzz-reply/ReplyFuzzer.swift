// The client library's frame decoder on arbitrary bytes. Checks what fuzz-command
// checks, for replies: the same outcome whole, split in two at a data-derived offset
// and in small data-derived chunks, and a fatal error that repeats.

import BlackboardProtocol
import FuzzSupport
import FuzzerEntry

/// What the decoder produced for one frame.
enum Outcome: Equatable {
    case reply(Reply)
    case error(ErrorCode, fatal: Bool)
}

/// Small limits, so that short inputs reach every limit check as well.
let smallLimits: Limits = {
    var limits = Limits()
    limits.maxLineBytes = 64
    limits.maxConceptBytes = 16
    limits.maxPairs = 4
    limits.maxValueBytes = 32
    limits.maxMessageBytes = 48
    limits.maxProfileEntries = 3
    return limits
}()

/// Feeds `chunks` in order, draining after each; stops at the first fatal error, after
/// checking that it repeats.
func decode(_ chunks: [ArraySlice<UInt8>], limits: Limits) -> [Outcome] {
    var decoder = ReplyDecoder(limits: limits)
    var outcomes: [Outcome] = []
    for chunk in chunks {
        decoder.append(contentsOf: chunk)
        while true {
            do {
                guard let reply = try decoder.next() else { break }
                outcomes.append(.reply(reply))
            } catch {
                outcomes.append(.error(error.code, fatal: error.isFatal))
                guard error.isFatal else { continue }
                do {
                    _ = try decoder.next()
                    require(false, "next() after fatal \(error) returned instead of throwing")
                } catch let again {
                    require(again == error, "fatal \(error) repeated as \(again)")
                }
                return outcomes
            }
        }
    }
    return outcomes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let bytes = input.bytes
    let limits = input.hash & 1 == 0 ? Limits() : smallLimits
    let whole = decode([bytes[...]], limits: limits)

    let offset = input.splitOffset
    let split = decode([bytes[..<offset], bytes[offset...]], limits: limits)
    require(split == whole, "split at \(offset) decodes differently from whole input")

    let chunkSize = Int((input.hash >> 8) % 7) + 1
    let chunks = stride(from: 0, to: bytes.count, by: chunkSize).map { bytes[$0..<min($0 + chunkSize, bytes.count)] }
    require(decode(chunks, limits: limits) == whole, "chunks of \(chunkSize) bytes decode differently from whole input")
    return 0
}

@_cdecl("fuzz_reply_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
