// A subscription profile entry: an exact concept, a hierarchy entry `prefix.>`
// (every concept below `prefix`), or `>` (every concept). See Concept.swift for
// the grammar.

/// One entry of a subscription profile.
public struct ProfileEntry: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// What an entry matches.
    public enum Kind: UInt8, Sendable {
        /// Exactly one concept.
        case exact
        /// Every concept strictly below a prefix (`prefix.>`).
        case below
        /// Every concept (`>`).
        case all
    }

    /// What the entry matches.
    public let kind: Kind
    /// The concept (`exact`), the prefix without `.>` (`below`), or empty (`all`).
    public let bytes: [UInt8]

    /// An entry from parts that are known to be valid (a key the index or the
    /// filter interned from a parsed entry). No checks.
    init(kind: Kind, bytes: [UInt8]) {
        self.kind = kind
        self.bytes = bytes
    }

    /// Parses the wire form of an entry: `concept`, `prefix.>` or `>`.
    public init(parsing text: some Collection<UInt8>, maxConceptBytes: Int = Concept.maxBytes) throws(ConceptError) {
        let raw = Array(text)
        if raw == [UInt8(ascii: ">")] {
            self.init(kind: .all, bytes: [])
            return
        }
        let count = raw.count
        if count >= 2 && raw[count - 1] == UInt8(ascii: ">") && raw[count - 2] == UInt8(ascii: ".") {
            let prefix = Array(raw[..<(count - 2)])
            if prefix.isEmpty || prefix.last == UInt8(ascii: ".") { throw .badWildcard }
            // The prefix must leave room for `.` plus one byte below it.
            if let error = Concept.validate(prefix, maxBytes: max(0, maxConceptBytes - 2)) {
                if case .tooLong = error { throw .tooLong(length: count, limit: maxConceptBytes) }
                throw error
            }
            self.init(kind: .below, bytes: prefix)
            return
        }
        if let error = Concept.validate(raw, maxBytes: maxConceptBytes) { throw error }
        self.init(kind: .exact, bytes: raw)
    }

    /// Parses the wire form of an entry from a string.
    public init(_ text: String) throws(ConceptError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The entry matching exactly `concept`, which must be valid.
    public static func exact(_ concept: String) -> ProfileEntry {
        precondition(Concept.validate(Array(concept.utf8)) == nil, "invalid concept \(concept)")
        return ProfileEntry(kind: .exact, bytes: Array(concept.utf8))
    }

    /// The entry `prefix.>`; `prefix` must be a valid concept not ending in `.`.
    public static func below(_ prefix: String) -> ProfileEntry {
        let entry = try? ProfileEntry(parsing: Array(prefix.utf8) + Array(".>".utf8))
        precondition(entry != nil, "invalid hierarchy prefix \(prefix)")
        return entry!
    }

    /// The entry `>`.
    public static let all = ProfileEntry(kind: .all, bytes: [])

    /// The wire form: `concept`, `prefix.>` or `>`.
    public var wireBytes: [UInt8] {
        switch kind {
        case .exact: return bytes
        case .below: return bytes + [UInt8(ascii: "."), UInt8(ascii: ">")]
        case .all: return [UInt8(ascii: ">")]
        }
    }

    /// The wire form as a string.
    public var text: String { String(decoding: wireBytes, as: UTF8.self) }

    public var description: String { text }

    /// Whether this entry matches `concept`. This is the reference definition,
    /// written for clarity, not speed; the index answers the same question in
    /// O(depth) for all entries at once.
    public func matches(_ concept: some Collection<UInt8>) -> Bool {
        switch kind {
        case .all: return true
        case .exact: return bytes.elementsEqual(concept)
        case .below:
            let c = Array(concept)
            return c.count > bytes.count + 1 && c[bytes.count] == UInt8(ascii: ".") && c.starts(with: bytes)
        }
    }

    /// Entries order by their wire form, byte by byte (``wireOrder(_:_:)``: a word-wise
    /// comparison of the stored bytes, no wire form is built).
    public static func < (lhs: ProfileEntry, rhs: ProfileEntry) -> Bool {
        wireOrder(lhs, rhs) < 0
    }

    /// Hashes the kind, the length and the bytes in one `combine(bytes:)`, not byte by byte.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind.rawValue)
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
