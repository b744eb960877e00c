// The concept grammar.
//
// A concept is an ontology term: 1...256 bytes, each a printable, non-space ASCII
// byte (0x21...0x7E). Examples: `wf:ActivityExecuting`, `res:CPU`,
// `notebook.experiment.LinearSolver`, `http://example.org/onto#Temp`.
//
// Concepts form a hierarchy through dots (seed 003): `a.b.c` lies below `a.b`,
// which lies below `a`. A profile entry `P.>` matches every concept C that starts
// with `P.` and has at least one byte after that dot; `>` alone matches every
// concept. So that an entry can never be mistaken for a concept, a published
// concept may not be `>` and may not end in `.>`.

/// The rules that make a byte string a concept.
public enum Concept {
    /// The longest concept the model admits, in bytes.
    public static let maxBytes = 256

    /// Checks `bytes` as a concept that is published or named exactly in a profile.
    /// - Returns: `nil` when valid, otherwise the first rule broken.
    @inlinable
    public static func validate(_ bytes: UnsafeRawBufferPointer, maxBytes: Int = Concept.maxBytes) -> ConceptError? {
        let count = bytes.count
        if count == 0 { return .empty }
        if count > maxBytes { return .tooLong(length: count, limit: maxBytes) }
        for offset in 0..<count {
            let byte = bytes[offset]
            if byte < 0x21 || byte > 0x7E { return .invalidByte(byte, offset: offset) }
        }
        if bytes[count - 1] == UInt8(ascii: ">") && (count == 1 || bytes[count - 2] == UInt8(ascii: ".")) {
            return .wildcardInConcept
        }
        return nil
    }

    /// Checks a collection of bytes as a concept; see ``validate(_:maxBytes:)``.
    public static func validate(_ bytes: some Collection<UInt8>, maxBytes: Int = Concept.maxBytes) -> ConceptError? {
        let array = Array(bytes)
        return array.withUnsafeBytes { validate($0, maxBytes: maxBytes) }
    }

    /// Calls `body` with the length of every proper dotted prefix of `concept`,
    /// shortest first: for `a.b.c`, the lengths of `a` and `a.b`. A prefix P is
    /// yielded only when the concept continues past `P.`, which is exactly when
    /// the entry `P.>` matches the concept.
    @inlinable
    public static func forEachPrefixLength(of concept: UnsafeRawBufferPointer, _ body: (Int) -> Void) {
        let count = concept.count
        if count < 3 { return }
        for index in 1..<(count - 1) where concept[index] == UInt8(ascii: ".") {
            body(index)
        }
    }
}

/// Why a byte string is not a valid concept or profile entry.
public enum ConceptError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Zero bytes long.
    case empty
    /// Longer than the limit.
    case tooLong(length: Int, limit: Int)
    /// A byte outside 0x21...0x7E (space, control, DEL or non-ASCII).
    case invalidByte(UInt8, offset: Int)
    /// A published concept spelled like a hierarchy entry (`>` or ending in `.>`).
    case wildcardInConcept
    /// A hierarchy entry whose prefix is empty or ends in a dot (`.>`, `a..>`).
    case badWildcard

    public var description: String {
        switch self {
        case .empty: return "empty concept"
        case let .tooLong(length, limit): return "concept is \(length) bytes, limit is \(limit)"
        case let .invalidByte(byte, offset):
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x\(hex.count == 1 ? "0" + hex : hex) at offset \(offset) is not printable non-space ASCII"
        case .wildcardInConcept: return "a concept may not be '>' or end in '.>'"
        case .badWildcard: return "a hierarchy entry needs a non-empty prefix not ending in '.', as in 'a.b.>'"
        }
    }
}
