// Changing profiles: the store and the index move together, and every change
// yields the delta of the union of all profiles.
//
// Cost. Every operation here touches only the entries it names or the entries
// of the subscriber's old and new profiles (see SubscriberLookupIndex+Profiles.swift
// for the exact bounds: O(|old| + |new|) for subscribe, O(|entries| log |profile|)
// plus a pass over the profile for add and remove, O(|profile|) for unsubscribe),
// plus sorting the delta (ProfileEntry+Sorting.swift, O(d log d) word comparisons
// for d entries joining or leaving the union). Nothing walks the other
// subscribers or the concepts indexed for them. The paper's subscribe (Figure 6) walks every concept in the
// index; here only the symmetric difference of the old and new profile reaches
// the index's lists. This is why there is no timing test: the bound is visible
// in the loops.
//
// The public entry points are generic over the sequence of entries and
// `@inlinable`, so that callers in other modules get them specialised; each hands
// a contiguous buffer to one non-generic implementation.

extension Blackboard {
    /// Replaces the whole profile of `uri`, creating the subscriber if needed.
    /// Cost O(|old| + |new|) plus sorting the delta. The same profile again changes
    /// nothing and yields no delta.
    @inlinable
    @discardableResult
    public mutating func subscribe(_ uri: String, to profile: some Sequence<ProfileEntry>) -> ProfileChange {
        if let change = profile.withContiguousStorageIfAvailable({ subscribe(uri, contiguous: $0) }) { return change }
        return Array(profile).withUnsafeBufferPointer { subscribe(uri, contiguous: $0) }
    }

    /// Adds `entries` to the profile of `uri`, creating the subscriber if needed.
    /// Entries already in the profile are ignored. Cost O(|entries| log |profile| + |profile|).
    @inlinable
    @discardableResult
    public mutating func add(_ entries: some Sequence<ProfileEntry>, for uri: String) -> ProfileChange {
        if let change = entries.withContiguousStorageIfAvailable({ add(contiguous: $0, for: uri) }) { return change }
        return Array(entries).withUnsafeBufferPointer { add(contiguous: $0, for: uri) }
    }

    /// Removes `entries` from the profile of `uri`; entries not in it are ignored and the
    /// subscriber stays, possibly with an empty profile. An unknown URI is not created:
    /// no change, and `subscriber` is nil. Cost O(|entries| log |profile| + |profile|).
    @inlinable
    @discardableResult
    public mutating func remove(_ entries: some Sequence<ProfileEntry>, for uri: String) -> ProfileChange {
        if let change = entries.withContiguousStorageIfAvailable({ remove(contiguous: $0, for: uri) }) { return change }
        return Array(entries).withUnsafeBufferPointer { remove(contiguous: $0, for: uri) }
    }

    /// Removes the subscriber `uri` and its profile; its slot becomes free for reuse.
    /// Unknown URI: no change. Cost O(|profile|).
    @discardableResult
    public mutating func unsubscribe(_ uri: String) -> ProfileChange {
        guard let slot = store.slot(of: uri) else { return commit(joined: [], left: [], subscriber: nil) }
        var left: [ProfileEntry] = []
        left.reserveCapacity(index.profileCount(ofSlot: slot))
        index.releaseProfile(of: slot, left: &left)
        store.release(slot)
        return commit(joined: [], left: left, subscriber: nil)
    }

    // MARK: Non-generic implementations

    @usableFromInline
    mutating func subscribe(_ uri: String, contiguous entries: UnsafeBufferPointer<ProfileEntry>) -> ProfileChange {
        let slot = createSubscriber(uri)
        var joined: [ProfileEntry] = []
        joined.reserveCapacity(entries.count)
        var left: [ProfileEntry] = []
        index.replaceProfile(of: slot, with: entries, joined: &joined, left: &left)
        return commit(joined: joined, left: left, subscriber: slot)
    }

    @usableFromInline
    mutating func add(contiguous entries: UnsafeBufferPointer<ProfileEntry>, for uri: String) -> ProfileChange {
        let slot = createSubscriber(uri)
        var joined: [ProfileEntry] = []
        index.addEntries(entries, to: slot, joined: &joined)
        return commit(joined: joined, left: [], subscriber: slot)
    }

    @usableFromInline
    mutating func remove(contiguous entries: UnsafeBufferPointer<ProfileEntry>, for uri: String) -> ProfileChange {
        guard let slot = store.slot(of: uri) else { return commit(joined: [], left: [], subscriber: nil) }
        var left: [ProfileEntry] = []
        index.removeEntries(entries, from: slot, left: &left)
        return commit(joined: [], left: left, subscriber: slot)
    }

    /// The slot of `uri`, creating the subscriber (and its separation scratch) when absent.
    private mutating func createSubscriber(_ uri: String) -> UInt32 {
        let slot = store.slot(creating: uri)
        scratch.reserveSlots(store.slotBound)
        index.reserveSlots(store.slotBound)
        return slot
    }

    /// Turns the entries that joined and left the union into a delta and a new version.
    /// An entry never both joins and leaves in one operation: joining needs it in the
    /// new profile only, leaving in the old one only. Sorting is by wire form
    /// (``ProfileEntry/wireOrder(_:_:)``), as PROTOCOL.md orders a DELTA's lines.
    private mutating func commit(
        joined: consuming [ProfileEntry], left: consuming [ProfileEntry], subscriber slot: UInt32?
    ) -> ProfileChange {
        let subscriber = slot.map(SubscriberID.init(slot:))
        if joined.isEmpty && left.isEmpty {
            return ProfileChange(subscriber: subscriber, delta: nil, version: aggregateVersion)
        }
        aggregateVersion += 1
        // Consumed, not copied: the arrays are unique, so sorting them in place copies nothing.
        var joined = joined
        var left = left
        ProfileEntry.sortByWire(&joined, scratch: &sortScratch)
        ProfileEntry.sortByWire(&left, scratch: &sortScratch)
        let delta = ProfileDelta(version: aggregateVersion, added: joined, removed: left)
        return ProfileChange(subscriber: subscriber, delta: delta, version: aggregateVersion)
    }
}
