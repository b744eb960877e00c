// The aggregate subscription profile, the union of all profiles, as the broker
// sees it. It is not stored: an entry is in the union exactly when its list in the
// lookup index is non-empty (the index keeps no empty entries), so this view asks
// the index. Keeping a second table of the union would cost a hash lookup per
// changed entry and tens of megabytes at a few hundred thousand concepts.
//
// The client library keeps the union it is pushed in a ConceptFilter instead; the
// two answer the same questions.

/// A read-only view of the union of all profiles, derived from a
/// ``SubscriberLookupIndex``. Obtain it from ``Blackboard/aggregate``; read it, don't
/// keep it: it shares the index's storage, so a copy held across a change of the
/// blackboard makes that change copy the index.
public struct AggregateProfile: Sendable {
    let index: SubscriberLookupIndex

    init(index: SubscriberLookupIndex) {
        self.index = index
    }

    /// The number of entries. O(1).
    public var count: Int { index.entryCount }

    /// Whether no subscriber wants anything. O(1).
    public var isEmpty: Bool { count == 0 }

    /// The entries, sorted by wire form. O(n log n); for pushes and listings, not per message.
    public var entries: [ProfileEntry] { index.unionEntries }

    /// Whether `entry` is in the union (as an entry, not whether it is covered by another).
    /// O(|entry|).
    public func contains(_ entry: ProfileEntry) -> Bool {
        index.subscriberCount(of: entry) > 0
    }

    /// Whether some entry matches `concept`. O(depth); no allocation.
    public func matches(_ concept: UnsafeRawBufferPointer) -> Bool {
        index.hasInterest(in: concept)
    }

    /// Whether some entry matches `concept`; see the `UnsafeRawBufferPointer` overload.
    public func matches(_ concept: some Collection<UInt8>) -> Bool {
        if let result = concept.withContiguousStorageIfAvailable({ matches(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(concept).withUnsafeBytes { matches($0) }
    }

    /// Whether some entry matches the UTF-8 bytes of `concept`.
    public func matches(_ concept: String) -> Bool {
        var concept = concept
        return concept.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }
}
