// The pure broker state of paper §4.2: subscription store, subscriber lookup
// index, aggregate subscription profile, publisher store, and the scratch that
// makes separation (Figure 8) allocation-free. No I/O and no locks: a value
// type whose owner serialises access to it.
//
// The aggregate profile is the union of all profiles. Its reference counts are
// the index's per-entry subscriber counts: an entry joins the union when its
// list in the index goes from 0 to 1 subscribers and leaves it when the list
// empties, so a profile change detects a change of the union in O(diff).
//
// Concerns live in Blackboard+Subscriptions.swift (store, index and aggregate
// maintenance), Blackboard+Publishers.swift and Blackboard+Separation.swift.

/// The pure broker state: subscription store (URI -> profile), subscriber lookup index,
/// aggregate profile (union with reference counts, versioned), and publisher store
/// (URI -> acknowledged version). Subscribers exist independently of connections.
public struct Blackboard: Sendable {
    var store = SubscriptionStore()
    var publisherStore = PublisherStore()
    var scratch = SeparationScratch()

    /// The subscriber lookup index: exactly the inverse of the subscription store.
    /// Read it, don't keep it: a copy held across a change makes that change copy the index.
    public internal(set) var index = SubscriberLookupIndex()

    /// The aggregate subscription profile: the union of all profiles.
    public internal(set) var aggregate = ConceptFilter()

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
    public func profile(of uri: String) -> Set<ProfileEntry>? {
        store.slot(of: uri).map { store.profile(ofSlot: $0) }
    }

    /// The URIs of all subscribers, sorted.
    public var subscriberURIs: [String] { store.slotByURI.keys.sorted() }
}
