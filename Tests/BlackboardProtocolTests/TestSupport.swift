import BlackboardCore
import BlackboardProtocol

// Feeding decoders in the three ways every codec test uses (whole, one byte at
// a time, split in two at an offset) and recording what comes out.

/// What a decoder produced: a frame, or an error with its fatality.
enum Outcome<Frame: Equatable & Sendable>: Equatable, Sendable, CustomStringConvertible {
    case frame(Frame)
    case error(ErrorCode, fatal: Bool)

    var description: String {
        switch self {
        case let .frame(frame): "\(frame)"
        case let .error(code, fatal): "\(code.rawValue)\(fatal ? " (fatal)" : "")"
        }
    }
}

/// The decoders under test, seen alike.
protocol FrameDecoder {
    associatedtype Frame: Equatable & Sendable
    init(limits: Limits)
    mutating func append(contentsOf bytes: some Sequence<UInt8>)
    mutating func next() throws(ProtocolError) -> Frame?
}

extension CommandDecoder: FrameDecoder {}
extension ReplyDecoder: FrameDecoder {}

/// How input reaches the decoder.
enum Feeding: Sendable, CustomStringConvertible {
    case whole
    case byteByByte
    case split(at: Int)

    var description: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case let .split(offset): "split at \(offset)"
        }
    }

    /// Whole, byte by byte, and split at every offset of `input`.
    static func all(for input: [UInt8]) -> [Feeding] {
        [.whole, .byteByByte] + (0...input.count).map { .split(at: $0) }
    }

    func chunks(of input: [UInt8]) -> [ArraySlice<UInt8>] {
        switch self {
        case .whole: [input[...]]
        case .byteByByte: input.indices.map { input[$0...$0] }
        case let .split(offset): [input[..<offset], input[offset...]]
        }
    }
}

/// Feeds `input` as `feeding` says, draining the decoder after every chunk,
/// until the input ends or a fatal error stops the stream.
func decode<D: FrameDecoder>(
    _ type: D.Type, _ input: [UInt8], feeding: Feeding = .whole, limits: Limits = Limits()
) -> [Outcome<D.Frame>] {
    var decoder = D(limits: limits)
    var outcomes: [Outcome<D.Frame>] = []
    for chunk in feeding.chunks(of: input) {
        decoder.append(contentsOf: chunk)
        while true {
            do {
                guard let frame = try decoder.next() else { break }
                outcomes.append(.frame(frame))
            } catch {
                outcomes.append(.error(error.code, fatal: error.isFatal))
                if error.isFatal { return outcomes }
            }
        }
    }
    return outcomes
}

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// `text` with every CR LF turned into a bare LF.
func bareLF(_ text: String) -> String { text.replacing("\r\n", with: "\n") }

/// A publication built from owned pairs.
func publication(_ pairs: (String, [UInt8])...) -> Publication {
    Publication(pairs: pairs.map { (concept: $0.0, value: $0.1) })
}

/// Limits small enough for the malformed-input tables to reach each of them.
let smallLimits: Limits = {
    var limits = Limits()
    limits.maxLineBytes = 512
    limits.maxConceptBytes = 32
    limits.maxPairs = 4
    limits.maxValueBytes = 16
    limits.maxMessageBytes = 40
    limits.maxProfileEntries = 3
    return limits
}()

extension ProfileEntry {
    /// The entry spelled `text`, which must be valid.
    static func parse(_ text: String) -> ProfileEntry {
        try! ProfileEntry(text)
    }
}
