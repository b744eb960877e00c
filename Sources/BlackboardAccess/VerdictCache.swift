#if canImport(Glibc)
import Glibc
#endif

/// Remembers the latest publish verdicts of one session, so a publisher that
/// sends the same concepts again and again pays a short hash and a `memcmp`
/// per pair instead of ``Permissions/mayPublish(_:)``'s hash-set lookups (an
/// exact lookup and one per dotted prefix, in the allow and the deny set).
///
/// Two-way set-associative: ``setCount`` sets of two slots, the set chosen by
/// FNV-1a of the concept's bytes; a new concept takes the set's first slot and
/// moves the one there to the second (the oldest of the set is forgotten). A
/// hit compares the whole concept, so a verdict is never given for another
/// concept. Only a miss allocates (the stored copy), and the slots themselves
/// only at the first remembered verdict: a session that never publishes pays
/// nothing. Empty it when the permissions change.
public struct VerdictCache: Sendable {
    /// How many sets of two slots it has.
    public static let setCount = 32
    /// How many concepts it remembers at most.
    public static let slotCount = 2 * setCount

    private var concepts: [[UInt8]] = []
    private var verdicts: [Bool] = []

    /// An empty cache.
    public init() {}

    /// The remembered verdict for `concept` (never empty), or nil.
    public func verdict(for concept: UnsafeRawBufferPointer) -> Bool? {
        if concepts.isEmpty { return nil }
        let first = 2 * Self.set(of: concept)
        for slot in first..<first + 2 where Self.equal(concepts[slot], concept) {
            return verdicts[slot]
        }
        return nil
    }

    /// Remembers `verdict` for `concept` (never empty), forgetting the oldest
    /// concept of its set.
    public mutating func remember(_ verdict: Bool, for concept: UnsafeRawBufferPointer) {
        if concepts.isEmpty {
            concepts = [[UInt8]](repeating: [], count: Self.slotCount)
            verdicts = [Bool](repeating: false, count: Self.slotCount)
        }
        let first = 2 * Self.set(of: concept)
        concepts[first + 1] = concepts[first]
        verdicts[first + 1] = verdicts[first]
        concepts[first] = Array(concept)
        verdicts[first] = verdict
    }

    /// Forgets every verdict.
    public mutating func removeAll() {
        concepts = []
        verdicts = []
    }

    private static func equal(_ stored: [UInt8], _ concept: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == concept.count, !stored.isEmpty else { return false }
        return stored.withUnsafeBytes { memcmp($0.baseAddress!, concept.baseAddress!, concept.count) == 0 }
    }

    private static func set(of bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        // The top bits of a multiplicative mix: every input byte reaches them.
        return Int(truncatingIfNeeded: (hash &* 0x9e37_79b9_7f4a_7c15) >> 59) & (setCount - 1)
    }
}
