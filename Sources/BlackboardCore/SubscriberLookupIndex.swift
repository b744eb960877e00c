// The subscriber lookup index (paper §4.2, Figure 4): entry -> subscribers, and
// its inverse, subscriber -> entries (the profiles). It only answers "who wants
// this concept" and "what does this subscriber want"; it never sends, logs or
// checks access.
//
// Layout.
// - Concepts of exact entries and prefixes of `prefix.>` entries are interned in
//   one ConceptTable. The value of a concept id is its two subscriber lists
//   (`Lists`: the slots subscribed exactly, and those subscribed below it), so a
//   lookup that finds the key has the lists in the same record. `>` has a list of
//   its own. A list (SlotList, 8 bytes) holds a single subscriber inline and two
//   or more in a block of one shared SlotPool, in arbitrary order.
// - An entry id names an entry inside the process: concept id << 1 for an exact
//   entry, concept id << 1 | 1 for `prefix.>`, `allEntry` (UInt32.max) for `>`.
// - By slot, the profile: a sorted array of UInt64, one per entry, holding the
//   entry id in the high half and the slot's position in that entry's list in the
//   low half. Sorted by entry id, so membership is a binary search and replacing a
//   profile is a merge; the positions make removal from a list O(1): the last
//   slot of the list moves into the hole and its own profile is told where.
//
// Invariants.
// - The lists and the profiles are exact inverses: slot s is at position p of
//   entry e's list exactly when s's profile holds (e, p). No slot is twice in a list.
// - A concept id is live exactly while one of its two lists is non-empty (no empty
//   entries are kept), so every entry id in a profile names a live concept.
// - `exactEntryCount` and `belowEntryCount` count the non-empty exact and below lists.
// Hence the union of all profiles (the aggregate profile) is exactly the set of
// entries with a non-empty list: nothing else needs to store it.
//
// Memory: per concept, its bytes, a 24-byte record (8 for the key, 16 for the two
// lists) and 2-4 buckets of 8 bytes; per (subscriber, entry) pair, 8 bytes in the
// profile and, in a list of two or more, 4 in a pool block (blocks are at least a
// quarter full); per subscriber, one array. No empty entries, no second table.
//
// Files: entry ids, interning and cache warming in SubscriberLookupIndex+EntryIDs,
// changing profiles in SubscriberLookupIndex+Profiles, matching in
// SubscriberLookupIndex+Matching.

/// concept -> subscribers and subscriber -> profile, for exact, `prefix.>` and `>`
/// entries. Only matches; never sends.
public struct SubscriberLookupIndex: Sendable {
    /// The entry id of `>`. Concept ids are below 2^31, so no other entry id reaches it.
    static let allEntry = UInt32.max

    /// The two subscriber lists of one interned key.
    struct Lists: Sendable {
        /// The slots with the exact entry for the key (a concept).
        var exact = SlotList.none
        /// The slots with the entry `key.>`.
        var below = SlotList.none
    }

    /// Concepts and prefixes, each with its lists.
    var concepts = ConceptTable<Lists>()
    /// The slots with the entry `>`.
    var allSubscribers = SlotList.none
    /// The blocks of every list of two or more slots.
    var pool = SlotPool()
    /// By slot: the profile, sorted, as entry id << 32 | position in that entry's list.
    var profiles: [[UInt64]] = []
    var exactEntryCount = 0
    var belowEntryCount = 0
    /// Where ``warmLists(_:)`` leaves what it loaded, so that the loads are not optimised away.
    var warmSink: UInt64 = 0
    /// Working memory for profile changes; see ChangeScratch.swift.
    var changeScratch = ChangeScratch()

    /// An empty index.
    public init() {}

    /// Adds `entry` for `subscriber`; already there: no change. Amortised
    /// O(|entry| + log |profile|) plus moving the profile's tail, whatever the
    /// number of subscribers and entries.
    public mutating func insert(_ entry: ProfileEntry, for subscriber: SubscriberID) {
        var joined: [ProfileEntry] = []
        withUnsafePointer(to: entry) {
            addEntries(UnsafeBufferPointer(start: $0, count: 1), to: subscriber.slot, joined: &joined)
        }
    }

    /// Removes `entry` for `subscriber`; not there: no change. O(|entry| + log |profile|)
    /// plus moving the profile's tail, whatever the number of subscribers and entries.
    public mutating func remove(_ entry: ProfileEntry, for subscriber: SubscriberID) {
        var left: [ProfileEntry] = []
        withUnsafePointer(to: entry) {
            removeEntries(UnsafeBufferPointer(start: $0, count: 1), from: subscriber.slot, left: &left)
        }
    }

    /// The number of entries with at least one subscriber (no empty entries are kept).
    public var entryCount: Int { exactEntryCount + belowEntryCount + (allSubscribers.isEmpty ? 0 : 1) }

    /// The number of subscribers whose profile holds `entry`. O(|entry|).
    public func subscriberCount(of entry: ProfileEntry) -> Int {
        existingID(of: entry).map { list($0).count } ?? 0
    }

    /// The subscribers whose profile holds `entry`, in slot order. O(k log k) for k subscribers.
    /// (Not in the first contract; for tests and admin listings.)
    public func subscribers(of entry: ProfileEntry) -> [SubscriberID] {
        guard let id = existingID(of: entry) else { return [] }
        return pool.slots.withUnsafeBufferPointer { pool in
            list(id).withSlots(pool: pool.baseAddress) { $0.sorted().map(SubscriberID.init(slot:)) }
        }
    }

    /// Every entry with its number of subscribers, sorted by entry. For listings, not per message.
    public var entries: [(entry: ProfileEntry, subscribers: Int)] {
        var result: [(entry: ProfileEntry, subscribers: Int)] = []
        result.reserveCapacity(entryCount)
        forEachEntry { result.append(($0, list($1).count)) }
        result.sort { ProfileEntry.wireOrder($0.entry, $1.entry) < 0 }
        return result
    }

    /// The entries with at least one subscriber (the union of all profiles), sorted.
    /// O(n log n); for pushes and listings, not per message.
    var unionEntries: [ProfileEntry] {
        var result: [ProfileEntry] = []
        result.reserveCapacity(entryCount)
        forEachEntry { entry, _ in result.append(entry) }
        ProfileEntry.sortByWire(&result)
        return result
    }

    /// Calls `body` with every entry that has a subscriber and its entry id, in no order.
    private func forEachEntry(_ body: (ProfileEntry, UInt32) -> Void) {
        if !allSubscribers.isEmpty { body(.all, Self.allEntry) }
        concepts.forEachID { id in
            let lists = concepts[value: id]
            concepts.withKey(id) { key in
                if !lists.exact.isEmpty { body(ProfileEntry(storedKey: key, kind: .exact), UInt32(id) << 1) }
                if !lists.below.isEmpty { body(ProfileEntry(storedKey: key, kind: .below), UInt32(id) << 1 | 1) }
            }
        }
    }

    // MARK: Profiles

    /// The profile of `slot`, in no particular order. O(p); allocates every entry.
    func profileEntries(ofSlot slot: UInt32) -> [ProfileEntry] {
        guard Int(slot) < profiles.count else { return [] }
        return profiles[Int(slot)].map { entry(Self.elementID($0)) }
    }

    /// The number of entries in the profile of `slot`. O(1).
    func profileCount(ofSlot slot: UInt32) -> Int {
        Int(slot) < profiles.count ? profiles[Int(slot)].count : 0
    }

    /// Whether the profile of `slot` holds `entry`. O(|entry| + log |profile|).
    func profile(ofSlot slot: UInt32, contains entry: ProfileEntry) -> Bool {
        guard Int(slot) < profiles.count, let id = existingID(of: entry) else { return false }
        return profiles[Int(slot)].withUnsafeBufferPointer { Self.search($0, for: id).found }
    }
}
