// The pure broker state of paper §4.2: subscription store, subscriber lookup
// index (which also holds the profiles), publisher store, and the scratch that
// makes separation (Figure 8) allocation-free. No I/O and no locks: a value type
// whose owner serialises access to it.
//
// The aggregate profile is the union of all profiles. It is not stored: an entry
// is in the union exactly while its list in the index is non-empty. An entry joins
// the union when its list goes from 0 to 1 subscribers and leaves it when the
// list empties, so a profile change detects a change of the union in O(diff),
// and the view `aggregate` answers from the index.
//
// Concerns live in Blackboard+Subscriptions.swift (store and index maintenance,
// deltas), Blackboard+Publishers.swift and Blackboard+Separation.swift.

/// The pure broker state: subscription store (URI -> slot), subscriber lookup index
/// (entry <-> slots, including each slot's profile), the aggregate profile derived
/// from it (versioned), and publisher store (URI -> acknowledged version).
/// Subscribers exist independently of connections.
public struct Blackboard: Sendable {
    var store = SubscriptionStore()
    var publisherStore = PublisherStore()
    var scratch = SeparationScratch()
    /// Working memory for sorting deltas (``ProfileEntry/sortByWire(_:scratch:)``).
    var sortScratch: [UInt64] = []

    /// The subscriber lookup index: entry -> subscribers and subscriber -> profile.
    /// Read it, don't keep it: a copy held across a change makes that change copy the index.
    public internal(set) var index = SubscriberLookupIndex()

    /// The aggregate subscription profile: the union of all profiles, read from the
    /// index. O(1) to obtain; read it, don't keep it (see ``AggregateProfile``).
    public var aggregate: AggregateProfile { AggregateProfile(index: index) }

    /// The aggregate profile's version: 0 for the initial empty union, +1 per change.
    public internal(set) var aggregateVersion: UInt64 = 0

    /// An empty blackboard: no subscribers, no publishers, version 0.
    public init() {}

    // MARK: Subscription store queries

    /// The number of subscribers (including those with an empty profile).
    public var subscriberCount: Int { store.count }

    /// The slot of the subscriber `uri`, if it is one.
    public func subscriberID(of uri: String) -> SubscriberID? {
        store.slot(of: uri).map(SubscriberID.init(slot:))
    }

    /// The URI of the subscriber in `subscriber`'s slot, if the slot is in use.
    public func uri(of subscriber: SubscriberID) -> String? {
        store.uri(ofSlot: subscriber.slot)
    }

    /// The profile of the subscriber `uri`, or nil when it is not a subscriber.
    /// Rebuilt from the index: O(p log p), allocating every entry; for listings and
    /// tests. To check a profile's size, use ``profileCount(of:adding:)``.
    public func profile(of uri: String) -> Set<ProfileEntry>? {
        store.slot(of: uri).map { Set(index.profileEntries(ofSlot: $0)) }
    }

    /// The profile of `uri` sorted by wire form, or nil when it is not a subscriber.
    /// O(p log p); for journal records, snapshots and listings.
    public func sortedProfile(of uri: String) -> [ProfileEntry]? {
        store.slot(of: uri).map { index.profileEntries(ofSlot: $0).sorted() }
    }

    /// The number of entries the profile of `uri` holds, and would hold after
    /// ``add(_:for:)`` of `entries`; nil when `uri` is not a subscriber.
    /// O(|entries| (|entry| + log |profile|)); changes nothing.
    public func profileCount(of uri: String, adding entries: some Sequence<ProfileEntry> = []) -> Int? {
        guard let slot = store.slot(of: uri) else { return nil }
        var growth = Set<ProfileEntry>()
        for entry in entries where !index.profile(ofSlot: slot, contains: entry) { growth.insert(entry) }
        return index.profileCount(ofSlot: slot) + growth.count
    }

    /// The URIs of all subscribers, sorted.
    public var subscriberURIs: [String] { store.uris }
}
