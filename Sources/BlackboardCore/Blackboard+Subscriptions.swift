// Changing profiles: the store, the index and the aggregate profile move together.
//
// Cost. Every operation here touches only the entries it names or the entries
// of the subscriber's old and new profiles: O(|old| + |new|) for subscribe,
// O(|entries|) for add and remove, O(|profile|) for unsubscribe (all amortised,
// with hashing), plus sorting the delta. Nothing walks the other subscribers or
// the concepts indexed for them. The paper's subscribe (Figure 6) walks every
// concept in the index; here only the symmetric difference of the old and new
// profile reaches the index. This is why there is no timing test: the bound is
// visible in the loops below.

extension Blackboard {
    /// Replaces the whole profile of `uri`, creating the subscriber if needed.
    /// Cost O(|old| + |new|). The same profile again changes nothing and yields no delta.
    @discardableResult
    public mutating func subscribe(_ uri: String, to profile: some Sequence<ProfileEntry>) -> ProfileChange {
        let newProfile = Set(profile)
        let slot = createSubscriber(uri)
        let oldProfile = store.takeProfile(ofSlot: slot)
        var joined: [ProfileEntry] = []
        var left: [ProfileEntry] = []
        for entry in oldProfile where !newProfile.contains(entry) {
            if index.removeEntry(entry, for: slot) { left.append(entry) }
        }
        for entry in newProfile where !oldProfile.contains(entry) {
            if index.insertEntry(entry, for: slot) { joined.append(entry) }
        }
        store.setProfile(newProfile, ofSlot: slot)
        return commit(joined: joined, left: left, subscriber: slot)
    }

    /// Adds `entries` to the profile of `uri`, creating the subscriber if needed.
    /// Entries already in the profile are ignored. Cost O(|entries|).
    @discardableResult
    public mutating func add(_ entries: some Sequence<ProfileEntry>, for uri: String) -> ProfileChange {
        let slot = createSubscriber(uri)
        var profile = store.takeProfile(ofSlot: slot)
        var joined: [ProfileEntry] = []
        for entry in entries where profile.insert(entry).inserted {
            if index.insertEntry(entry, for: slot) { joined.append(entry) }
        }
        store.setProfile(profile, ofSlot: slot)
        return commit(joined: joined, left: [], subscriber: slot)
    }

    /// Removes `entries` from the profile of `uri`; entries not in it are ignored and the
    /// subscriber stays, possibly with an empty profile. An unknown URI is not created:
    /// no change, and `subscriber` is nil. Cost O(|entries|).
    @discardableResult
    public mutating func remove(_ entries: some Sequence<ProfileEntry>, for uri: String) -> ProfileChange {
        guard let slot = store.slot(of: uri) else { return commit(joined: [], left: [], subscriber: nil) }
        var profile = store.takeProfile(ofSlot: slot)
        var left: [ProfileEntry] = []
        for entry in entries where profile.remove(entry) != nil {
            if index.removeEntry(entry, for: slot) { left.append(entry) }
        }
        store.setProfile(profile, ofSlot: slot)
        return commit(joined: [], left: left, subscriber: slot)
    }

    /// Removes the subscriber `uri` and its profile; its slot becomes free for reuse.
    /// Unknown URI: no change. Cost O(|profile|).
    @discardableResult
    public mutating func unsubscribe(_ uri: String) -> ProfileChange {
        guard let slot = store.slot(of: uri) else { return commit(joined: [], left: [], subscriber: nil) }
        var left: [ProfileEntry] = []
        for entry in store.release(slot) where index.removeEntry(entry, for: slot) {
            left.append(entry)
        }
        return commit(joined: [], left: left, subscriber: nil)
    }

    /// The slot of `uri`, creating the subscriber (and its separation scratch) when absent.
    private mutating func createSubscriber(_ uri: String) -> UInt32 {
        let slot = store.slot(creating: uri)
        scratch.reserveSlots(store.slotBound)
        return slot
    }

    /// Turns the entries that joined and left the union into a delta and a new version.
    /// An entry never both joins and leaves in one operation: joining needs it in the
    /// new profile only, leaving in the old one only.
    private mutating func commit(joined: [ProfileEntry], left: [ProfileEntry], subscriber slot: UInt32?) -> ProfileChange {
        let subscriber = slot.map(SubscriberID.init(slot:))
        if joined.isEmpty && left.isEmpty {
            return ProfileChange(subscriber: subscriber, delta: nil, version: aggregateVersion)
        }
        aggregateVersion += 1
        let delta = ProfileDelta(version: aggregateVersion, added: joined.sorted(), removed: left.sorted())
        aggregate.apply(delta)
        return ProfileChange(subscriber: subscriber, delta: delta, version: aggregateVersion)
    }
}
