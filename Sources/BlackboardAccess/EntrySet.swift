import BlackboardCore

/// A set of profile entries (exact concepts, `prefix.>`, `>`) compiled for the
/// two questions access control asks: does the set *cover* an entry or a
/// concept (everything it matches is matched by the set), and does it
/// *intersect* an entry (some concept is matched by both).
public struct EntrySet: Equatable, Sendable {
    /// Exact concepts.
    private(set) var exact = ByteStringSet()
    /// Prefixes of the `prefix.>` entries.
    private(set) var prefixes = ByteStringSet()
    /// Whether `>` is in the set.
    private(set) var all = false

    /// An empty set.
    public init() {}

    /// The set of `entries`.
    public init(_ entries: some Sequence<ProfileEntry>) {
        for entry in entries { insert(entry) }
    }

    /// Adds an entry.
    public mutating func insert(_ entry: ProfileEntry) {
        switch entry.kind {
        case .exact: exact.insert(entry.bytes)
        case .below: prefixes.insert(entry.bytes)
        case .all: all = true
        }
    }

    /// Adds every entry of another set.
    public mutating func formUnion(_ other: EntrySet) {
        exact.formUnion(other.exact)
        prefixes.formUnion(other.prefixes)
        all = all || other.all
    }

    /// Whether the set holds no entry.
    public var isEmpty: Bool { !all && exact.isEmpty && prefixes.isEmpty }

    /// The entries, sorted by wire form.
    public var entries: [ProfileEntry] {
        var list = exact.members.map { ProfileEntry.exactUnchecked($0) }
            + prefixes.members.map { ProfileEntry.belowUnchecked($0) }
        if all { list.append(.all) }
        return list.sorted { $0.wireBytes.lexicographicallyPrecedes($1.wireBytes) }
    }

    /// Whether some entry matches `concept` (a valid concept's bytes). A hash
    /// lookup per dotted prefix of the concept, on the bytes in place: the
    /// publish path's check, which allocates nothing.
    public func covers(concept: UnsafeRawBufferPointer) -> Bool {
        if all { return true }
        if exact.contains(concept) { return true }
        if prefixes.isEmpty { return false }
        var found = false
        Concept.forEachPrefixLength(of: concept) { length in
            if !found && prefixes.contains(UnsafeRawBufferPointer(rebasing: concept[..<length])) { found = true }
        }
        return found
    }

    /// Whether some entry matches `concept`.
    public func covers(concept: [UInt8]) -> Bool {
        concept.withUnsafeBytes { covers(concept: $0) }
    }

    /// Whether every concept `entry` matches is matched by some entry of the set.
    public func covers(_ entry: ProfileEntry) -> Bool {
        switch entry.kind {
        case .all: return all
        case .exact: return covers(concept: entry.bytes)
        case .below:
            if all || prefixes.contains(entry.bytes) { return true }
            // `P.>` is covered by `Q.>` when P lies below Q.
            return prefixes.contains { Self.lies(entry.bytes, below: $0) }
        }
    }

    /// Whether some concept is matched both by `entry` and by an entry of the set.
    public func intersects(_ entry: ProfileEntry) -> Bool {
        if isEmpty { return false }
        if all { return true }
        switch entry.kind {
        case .all: return true
        case .exact: return covers(concept: entry.bytes)
        case .below:
            let prefix = entry.bytes
            if exact.contains(where: { Self.lies($0, below: prefix) }) { return true }
            return prefixes.contains { $0 == prefix || Self.lies($0, below: prefix) || Self.lies(prefix, below: $0) }
        }
    }

    /// Whether `concept` lies strictly below `prefix` (is matched by `prefix.>`).
    static func lies(_ concept: [UInt8], below prefix: [UInt8]) -> Bool {
        concept.count > prefix.count + 1 && concept[prefix.count] == UInt8(ascii: ".") && concept.starts(with: prefix)
    }
}

extension ProfileEntry {
    /// An exact entry from bytes already validated when the set was built.
    static func exactUnchecked(_ bytes: [UInt8]) -> ProfileEntry {
        // Bytes in an EntrySet came from parsed entries, so parsing cannot fail.
        (try? ProfileEntry(parsing: bytes)) ?? .all
    }

    /// A `prefix.>` entry from a prefix already validated when the set was built.
    static func belowUnchecked(_ prefix: [UInt8]) -> ProfileEntry {
        (try? ProfileEntry(parsing: prefix + [UInt8(ascii: "."), UInt8(ascii: ">")])) ?? .all
    }
}
