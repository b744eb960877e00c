// A set of profile entries with an O(depth) membership test for concepts. The
// client library keeps the aggregate profile pushed to a publisher in one and
// drops pairs it does not match before they reach the socket. (The broker does
// not keep one: its aggregate is derived from the lookup index, see
// AggregateProfile.swift.)

/// A set of profile entries that answers "does any entry match this concept" in
/// O(depth of the concept): one hash probe for the concept, one per dotted prefix,
/// and one flag for `>`. Never a scan of the entries.
///
/// Owns one ConceptTable whose value per key is the set of kinds (exact, below)
/// present for it. Invariants: a key is interned exactly while one of its kinds is
/// present; `exactCount` and `belowCount` count the kinds present. Memory per key:
/// its bytes, a 12-byte record and two to four 8-byte buckets.
public struct ConceptFilter: Sendable, Equatable {
    private static let exactFlag: UInt8 = 1
    private static let belowFlag: UInt8 = 2

    /// Concepts (exact entries) and prefixes (`prefix.>` entries), one id for both;
    /// the value of an id is `exactFlag` and/or `belowFlag`, never 0 for a live id.
    private var concepts = ConceptTable<UInt8>()
    private var containsAll = false
    private var exactCount = 0
    private var belowCount = 0

    /// An empty filter, which matches nothing.
    public init() {}

    /// A filter holding `entries`.
    public init(_ entries: some Sequence<ProfileEntry>) {
        for entry in entries { insert(entry) }
    }

    /// The number of entries.
    public var count: Int { exactCount + belowCount + (containsAll ? 1 : 0) }

    /// Whether the filter has no entries.
    public var isEmpty: Bool { count == 0 }

    /// The entries, sorted. O(n log n); for pushes and listings, not per message.
    public var entries: [ProfileEntry] {
        var result: [ProfileEntry] = []
        result.reserveCapacity(count)
        if containsAll { result.append(.all) }
        concepts.forEachID { id in
            let kind = concepts[value: id]
            concepts.withKey(id) { bytes in
                if kind & Self.exactFlag != 0 { result.append(ProfileEntry(storedKey: bytes, kind: .exact)) }
                if kind & Self.belowFlag != 0 { result.append(ProfileEntry(storedKey: bytes, kind: .below)) }
            }
        }
        ProfileEntry.sortByWire(&result)
        return result
    }

    /// Whether `entry` is in the filter (as an entry, not whether it is covered by another).
    public func contains(_ entry: ProfileEntry) -> Bool {
        guard let flag = Self.flag(of: entry.kind) else { return containsAll }
        let id = entry.bytes.withUnsafeBytes { concepts.find($0) }
        return id >= 0 && concepts[value: id] & flag != 0
    }

    /// Adds `entry`; returns true when it was not in the filter.
    @discardableResult
    public mutating func insert(_ entry: ProfileEntry) -> Bool {
        guard let flag = Self.flag(of: entry.kind) else {
            defer { containsAll = true }
            return !containsAll
        }
        let id = entry.bytes.withUnsafeBytes { concepts.insert($0, value: 0).id }
        if concepts[value: id] & flag != 0 { return false }
        concepts[value: id] |= flag
        if flag == Self.exactFlag { exactCount += 1 } else { belowCount += 1 }
        return true
    }

    /// Removes `entry`; returns true when it was in the filter.
    @discardableResult
    public mutating func remove(_ entry: ProfileEntry) -> Bool {
        guard let flag = Self.flag(of: entry.kind) else {
            defer { containsAll = false }
            return containsAll
        }
        let id = entry.bytes.withUnsafeBytes { concepts.find($0) }
        guard id >= 0, concepts[value: id] & flag != 0 else { return false }
        concepts[value: id] &= ~flag
        if flag == Self.exactFlag { exactCount -= 1 } else { belowCount -= 1 }
        if concepts[value: id] == 0 { concepts.remove(id) }
        return true
    }

    /// Applies a change of the aggregate profile: removes `delta.removed`, then adds `delta.added`.
    public mutating func apply(_ delta: ProfileDelta) {
        for entry in delta.removed { remove(entry) }
        for entry in delta.added { insert(entry) }
    }

    /// Whether some entry matches `concept`. O(depth); no allocation.
    public func matches(_ concept: UnsafeRawBufferPointer) -> Bool {
        if containsAll { return true }
        var found = false
        concepts.forEachKey(selecting: concept, prefixes: belowCount > 0, exact: exactCount > 0) { id, isExact in
            found = concepts[value: id] & (isExact ? Self.exactFlag : Self.belowFlag) != 0
            return !found
        }
        return found
    }

    /// Whether some entry matches `concept`; see the `UnsafeRawBufferPointer` overload.
    @inlinable
    public func matches(_ concept: some Collection<UInt8>) -> Bool {
        if let result = concept.withContiguousStorageIfAvailable({ matches(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(concept).withUnsafeBytes { matches($0) }
    }

    /// Whether some entry matches the UTF-8 bytes of `concept`.
    @inlinable
    public func matches(_ concept: String) -> Bool {
        var concept = concept
        return concept.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Filters are equal when they hold the same entries, however they were built.
    public static func == (lhs: ConceptFilter, rhs: ConceptFilter) -> Bool {
        guard lhs.exactCount == rhs.exactCount, lhs.belowCount == rhs.belowCount,
            lhs.containsAll == rhs.containsAll
        else { return false }
        // Equal counts and every key of lhs with the same kinds in rhs: the sets are equal.
        var equal = true
        lhs.concepts.forEachID { id in
            guard equal else { return }
            let other = lhs.concepts.withKey(id) { rhs.concepts.find($0) }
            equal = other >= 0 && rhs.concepts[value: other] == lhs.concepts[value: id]
        }
        return equal
    }

    private static func flag(of kind: ProfileEntry.Kind) -> UInt8? {
        switch kind {
        case .exact: return exactFlag
        case .below: return belowFlag
        case .all: return nil
        }
    }
}
