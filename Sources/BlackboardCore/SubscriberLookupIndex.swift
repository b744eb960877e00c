// The subscriber lookup index (paper §4.2, Figure 4): entry -> subscribers, the
// inverse of the subscription store. It only answers "who wants this concept";
// it never sends, logs or checks access.
//
// Layout. Concepts of exact entries and prefixes of `prefix.>` entries are
// interned in one ConceptTable; per concept id there is a list of the slots
// subscribed exactly and a list of the slots subscribed below it. `>` has one
// list of its own. Lists are flat `[UInt32]` so that matching walks contiguous
// memory. `positions` records where each (list, slot) pair sits in its list, so
// removal is O(1) by swapping with the last element; list order is therefore
// arbitrary.
//
// Invariants: a list never holds a slot twice; `positions` has exactly one key
// per list element; a concept id is live exactly while one of its two lists is
// non-empty (no empty entries are kept); the entry counters count non-empty lists.

/// concept -> subscribers, for exact, `prefix.>` and `>` entries. Only matches; never sends.
public struct SubscriberLookupIndex: Sendable {
    /// The `positions` list number of the `>` list; concept id n uses 2n (exact) and 2n+1 (below).
    private static let allList = UInt32.max

    var concepts = ConceptTable()
    /// By concept id: the slots with the exact entry for that concept.
    var exactSubscribers: [[UInt32]] = []
    /// By concept id: the slots with the entry `prefix.>` for that prefix.
    var belowSubscribers: [[UInt32]] = []
    /// The slots with the entry `>`.
    var allSubscribers: [UInt32] = []
    /// (list number << 32 | slot) -> position of the slot in that list.
    private var positions: [UInt64: Int32] = [:]
    private(set) var exactEntryCount = 0
    private(set) var belowEntryCount = 0

    /// An empty index.
    public init() {}

    /// Adds `entry` for `subscriber`; already there: no change. Amortised O(|entry|),
    /// whatever the number of subscribers and entries.
    public mutating func insert(_ entry: ProfileEntry, for subscriber: SubscriberID) {
        insertEntry(entry, for: subscriber.slot)
    }

    /// Removes `entry` for `subscriber`; not there: no change. Amortised O(|entry|),
    /// whatever the number of subscribers and entries.
    public mutating func remove(_ entry: ProfileEntry, for subscriber: SubscriberID) {
        removeEntry(entry, for: subscriber.slot)
    }

    /// The number of entries with at least one subscriber (no empty entries are kept).
    public var entryCount: Int { exactEntryCount + belowEntryCount + (allSubscribers.isEmpty ? 0 : 1) }

    /// The number of subscribers whose profile holds `entry`. O(|entry|).
    public func subscriberCount(of entry: ProfileEntry) -> Int {
        withSubscribers(of: entry) { $0.count }
    }

    /// The subscribers whose profile holds `entry`, in slot order. O(k log k) for k subscribers.
    /// (Not in the first contract; for tests and admin listings.)
    public func subscribers(of entry: ProfileEntry) -> [SubscriberID] {
        withSubscribers(of: entry) { $0.sorted().map(SubscriberID.init(slot:)) }
    }

    /// Every entry with its number of subscribers, sorted by entry. For listings, not per message.
    public var entries: [(entry: ProfileEntry, subscribers: Int)] {
        var result: [(entry: ProfileEntry, subscribers: Int)] = []
        result.reserveCapacity(entryCount)
        if !allSubscribers.isEmpty { result.append((.all, allSubscribers.count)) }
        concepts.forEachID { id in
            concepts.withKey(id) { key in
                let exact = exactSubscribers[Int(id)].count
                let below = belowSubscribers[Int(id)].count
                if exact > 0 { result.append((ProfileEntry(storedKey: key, kind: .exact), exact)) }
                if below > 0 { result.append((ProfileEntry(storedKey: key, kind: .below), below)) }
            }
        }
        result.sort { $0.entry < $1.entry }
        return result
    }

    // MARK: Maintenance, reporting changes of the union

    /// Adds `entry` for `slot`. Returns true when the entry had no subscriber
    /// before, i.e. when it joins the union of all profiles. Amortised O(|entry|).
    @discardableResult
    mutating func insertEntry(_ entry: ProfileEntry, for slot: UInt32) -> Bool {
        if entry.kind == .all {
            return Self.append(slot, list: Self.allList, to: &allSubscribers, positions: &positions)
        }
        let id = Int(entry.bytes.withUnsafeBytes { concepts.insert($0).id })
        while exactSubscribers.count <= id {
            exactSubscribers.append([])
            belowSubscribers.append([])
        }
        let list = UInt32(id) << 1
        if entry.kind == .exact {
            let joined = Self.append(slot, list: list, to: &exactSubscribers[id], positions: &positions)
            if joined { exactEntryCount += 1 }
            return joined
        } else {
            let joined = Self.append(slot, list: list | 1, to: &belowSubscribers[id], positions: &positions)
            if joined { belowEntryCount += 1 }
            return joined
        }
    }

    /// Removes `entry` for `slot`. Returns true when that was its last subscriber,
    /// i.e. when it leaves the union of all profiles. O(|entry|).
    @discardableResult
    mutating func removeEntry(_ entry: ProfileEntry, for slot: UInt32) -> Bool {
        if entry.kind == .all {
            guard Self.remove(slot, list: Self.allList, from: &allSubscribers, positions: &positions) else {
                return false
            }
            if !allSubscribers.isEmpty { return false }
            allSubscribers = []
            return true
        }
        let found = entry.bytes.withUnsafeBytes { concepts.find($0) }
        guard found >= 0 else { return false }
        let id = Int(found)
        let list = UInt32(id) << 1
        if entry.kind == .exact {
            guard Self.remove(slot, list: list, from: &exactSubscribers[id], positions: &positions),
                exactSubscribers[id].isEmpty
            else { return false }
            exactSubscribers[id] = []
            exactEntryCount -= 1
        } else {
            guard Self.remove(slot, list: list | 1, from: &belowSubscribers[id], positions: &positions),
                belowSubscribers[id].isEmpty
            else { return false }
            belowSubscribers[id] = []
            belowEntryCount -= 1
        }
        if exactSubscribers[id].isEmpty && belowSubscribers[id].isEmpty { concepts.remove(found) }
        return true
    }

    private static func positionKey(list: UInt32, slot: UInt32) -> UInt64 {
        UInt64(list) << 32 | UInt64(slot)
    }

    /// Appends `slot` unless present; true when the list was empty before.
    private static func append(
        _ slot: UInt32, list: UInt32, to subscribers: inout [UInt32], positions: inout [UInt64: Int32]
    ) -> Bool {
        let key = positionKey(list: list, slot: slot)
        if positions[key] != nil { return false }
        positions[key] = Int32(subscribers.count)
        subscribers.append(slot)
        return subscribers.count == 1
    }

    /// Removes `slot` if present by moving the last element into its place; true when removed.
    private static func remove(
        _ slot: UInt32, list: UInt32, from subscribers: inout [UInt32], positions: inout [UInt64: Int32]
    ) -> Bool {
        guard let position = positions.removeValue(forKey: positionKey(list: list, slot: slot)) else {
            return false
        }
        let last = subscribers.removeLast()
        if Int(position) < subscribers.count {
            subscribers[Int(position)] = last
            positions[positionKey(list: list, slot: last)] = position
        }
        return true
    }

    private func withSubscribers<Result>(of entry: ProfileEntry, _ body: ([UInt32]) -> Result) -> Result {
        if entry.kind == .all { return body(allSubscribers) }
        let id = entry.bytes.withUnsafeBytes { concepts.find($0) }
        if id < 0 { return body([]) }
        return body(entry.kind == .exact ? exactSubscribers[Int(id)] : belowSubscribers[Int(id)])
    }
}
