// Changing profiles: the lists and the sorted per-slot profiles move together,
// and every change reports the entries that joined the union (their list went
// from 0 to 1 subscribers) and left it (from 1 to 0), so that the aggregate
// profile's deltas cost O(diff) and need no table of their own.
//
// The primitives are `link` (append a slot to an entry's list, returning its
// position) and `unlink` (remove it from its position by moving the list's last
// slot into the hole, then correcting that slot's profile by binary search). On
// top of them, with n the entries named and p the profile's size:
//   replace   O(n + p): intern and radix-sort the new entry ids (ChangeScratch),
//             merge with the old profile; only the symmetric difference touches
//             lists.
//   add       O(n log p + p): the same sorted ids, a binary search each, then one
//             backward merge into the profile array.
//   remove    O(n log p + p): a binary search each, then one compaction pass.
//   release   O(p).
// Plus hashing each named entry once (O(|entry|)). The `+ p` terms are
// memmove-speed passes over 8-byte words. Nothing walks other subscribers or the
// concepts indexed for them, so the cost does not grow with the store; the
// warm-up passes (SubscriberLookupIndex+EntryIDs.swift) keep the cache misses of
// a large store from adding up one by one. Scratch is reused, so a change
// allocates only the new profile array and the entries that leave the union.
//
// Order of work: keys are interned (and so kept alive by being linked) before any
// unlink can free a key, so an entry id taken at the start of an operation stays
// valid until its end.

extension SubscriberLookupIndex {
    /// The low half of a profile element marking an entry removed in the current
    /// operation (no real position reaches it: a list holds fewer than 2^27 slots).
    private static var removedMark: UInt64 { 0xFFFF_FFFF }

    /// Makes room for profiles of every slot below `bound`.
    mutating func reserveSlots(_ bound: Int) {
        if profiles.count < bound { profiles.append(contentsOf: repeatElement([], count: bound - profiles.count)) }
    }

    /// Replaces the profile of `slot` with `entries` (duplicates allowed), appending the
    /// entries that joined and left the union to `joined` and `left`, unsorted.
    mutating func replaceProfile(
        of slot: UInt32, with entries: UnsafeBufferPointer<ProfileEntry>,
        joined: inout [ProfileEntry], left: inout [ProfileEntry]
    ) {
        reserveSlots(Int(slot) + 1)
        let old = takeProfile(ofSlot: slot)
        var profile: [UInt64] = []
        var leaving: [UInt64] = []
        var scratch = takeIncoming(entries)
        defer { putBack(&scratch) }
        scratch.ids.withUnsafeBufferPointer { allIDs in
            let incoming = UnsafeBufferPointer(rebasing: allIDs[..<entries.count])
            profile.reserveCapacity(incoming.count)
            var oldIndex = 0
            var previous: UInt64 = .max  // no entry id is above 2^32 - 1
            for element in incoming {
                let id = element >> 32
                if id == previous { continue }
                previous = id
                while oldIndex < old.count && old[oldIndex] >> 32 < id {
                    leaving.append(old[oldIndex])
                    oldIndex += 1
                }
                if oldIndex < old.count && old[oldIndex] >> 32 == id {
                    profile.append(old[oldIndex])
                    oldIndex += 1
                    continue
                }
                let (position, isFirst) = link(slot, to: UInt32(truncatingIfNeeded: id))
                profile.append(id << 32 | UInt64(position))
                if isFirst { joined.append(entries[Int(truncatingIfNeeded: element & 0xFFFF_FFFF)]) }
            }
            leaving.append(contentsOf: old[oldIndex...])
        }
        profiles[Int(slot)] = profile
        for element in leaving {
            unlink(slot, from: Self.elementID(element), at: Self.elementPosition(element), left: &left)
        }
    }

    /// Adds `entries` to the profile of `slot`; those already in it are ignored.
    /// Appends the entries that joined the union to `joined`, unsorted.
    mutating func addEntries(_ entries: UnsafeBufferPointer<ProfileEntry>, to slot: UInt32, joined: inout [ProfileEntry]) {
        reserveSlots(Int(slot) + 1)
        var profile = takeProfile(ofSlot: slot)
        defer { profiles[Int(slot)] = profile }
        var added: [UInt64] = []
        var scratch = takeIncoming(entries)
        defer { putBack(&scratch) }
        scratch.ids.withUnsafeBufferPointer { allIDs in
            let incoming = UnsafeBufferPointer(rebasing: allIDs[..<entries.count])
            // Link each new id once; `added` collects the new profile elements, sorted.
            var previous: UInt64 = .max
            profile.withUnsafeBufferPointer { current in
                for element in incoming {
                    let id = element >> 32
                    if id == previous { continue }
                    previous = id
                    if Self.search(current, for: UInt32(truncatingIfNeeded: id)).found { continue }
                    let (position, isFirst) = link(slot, to: UInt32(truncatingIfNeeded: id))
                    if isFirst { joined.append(entries[Int(truncatingIfNeeded: element & 0xFFFF_FFFF)]) }
                    added.append(id << 32 | UInt64(position))
                }
            }
        }
        if added.isEmpty { return }
        // Merge from the back, in place: both runs are sorted and their ids distinct.
        var oldEnd = profile.count
        profile.append(contentsOf: repeatElement(0, count: added.count))
        var write = profile.count
        var newEnd = added.count
        while newEnd > 0 {
            write -= 1
            if oldEnd > 0 && profile[oldEnd - 1] > added[newEnd - 1] {
                oldEnd -= 1
                profile[write] = profile[oldEnd]
            } else {
                newEnd -= 1
                profile[write] = added[newEnd]
            }
        }
    }

    /// Takes the change scratch out of the index with the entry ids of `entries` in
    /// `ids[0..<entries.count]`: interned (with empty lists when new) and warmed, as
    /// id << 32 | index in `entries`, sorted by id, duplicates adjacent; their lists
    /// warmed too. Give it back with ``putBack(_:)`` when the change is done.
    private mutating func takeIncoming(_ entries: UnsafeBufferPointer<ProfileEntry>) -> ChangeScratch {
        var scratch = ChangeScratch()
        swap(&scratch, &changeScratch)
        scratch.reserve(entries.count)
        scratch.ids.withUnsafeMutableBufferPointer { allIDs in
            scratch.spare.withUnsafeMutableBufferPointer { spare in
                scratch.counts.withUnsafeMutableBufferPointer { counts in
                    let ids = UnsafeMutableBufferPointer(rebasing: allIDs[..<entries.count])
                    internIDs(of: entries, into: ids, spare: spare)
                    warmLists(UnsafeBufferPointer(ids))
                    ChangeScratch.sortByID(ids, spare: spare, counts: counts)
                }
            }
        }
        return scratch
    }

    /// Returns the change scratch to the index, trimmed.
    private mutating func putBack(_ scratch: inout ChangeScratch) {
        scratch.trim()
        swap(&scratch, &changeScratch)
    }

    /// Removes `entries` from the profile of `slot`; those not in it are ignored.
    /// Appends the entries that left the union to `left`, unsorted.
    mutating func removeEntries(_ entries: UnsafeBufferPointer<ProfileEntry>, from slot: UInt32, left: inout [ProfileEntry]) {
        guard Int(slot) < profiles.count else { return }
        var profile = takeProfile(ofSlot: slot)
        defer { profiles[Int(slot)] = profile }
        var removed = 0
        for entry in entries {
            guard let id = existingID(of: entry) else { continue }
            let (found, index) = profile.withUnsafeBufferPointer { Self.search($0, for: id) }
            guard found, profile[index] & Self.removedMark != Self.removedMark else { continue }
            let position = Self.elementPosition(profile[index])
            profile[index] |= Self.removedMark
            removed += 1
            unlink(slot, from: id, at: position, left: &left)
        }
        if removed > 0 { profile.removeAll { $0 & Self.removedMark == Self.removedMark } }
    }

    /// Empties the profile of `slot`, appending the entries that left the union to `left`.
    mutating func releaseProfile(of slot: UInt32, left: inout [ProfileEntry]) {
        guard Int(slot) < profiles.count else { return }
        let profile = takeProfile(ofSlot: slot)
        profile.withUnsafeBufferPointer { warmLists($0) }
        for element in profile {
            unlink(slot, from: Self.elementID(element), at: Self.elementPosition(element), left: &left)
        }
    }

    // MARK: Primitives

    /// Appends `slot` to the list of `entryID` (live); returns its position and whether
    /// the list was empty before (the entry joins the union).
    private mutating func link(_ slot: UInt32, to entryID: UInt32) -> (position: UInt32, isFirst: Bool) {
        if entryID == Self.allEntry {
            let position = allSubscribers.append(slot, pool: &pool)
            return (position, position == 0)
        }
        let concept = Int32(entryID >> 1)
        let position: UInt32
        if entryID & 1 == 0 {
            position = concepts[value: concept].exact.append(slot, pool: &pool)
            if position == 0 { exactEntryCount += 1 }
        } else {
            position = concepts[value: concept].below.append(slot, pool: &pool)
            if position == 0 { belowEntryCount += 1 }
        }
        return (position, position == 0)
    }

    /// Removes `slot`, at `position`, from the list of `entryID`. The list's last slot
    /// moves into the hole and its profile learns the new position. When the list
    /// empties, the entry leaves the union (appended to `left`) and a key with no
    /// list left is given back to the table.
    private mutating func unlink(_ slot: UInt32, from entryID: UInt32, at position: UInt32, left: inout [ProfileEntry]) {
        let moved: UInt32?
        let emptied: Bool
        if entryID == Self.allEntry {
            moved = allSubscribers.remove(at: position, pool: &pool)
            emptied = allSubscribers.isEmpty
        } else if entryID & 1 == 0 {
            moved = concepts[value: Int32(entryID >> 1)].exact.remove(at: position, pool: &pool)
            emptied = concepts[value: Int32(entryID >> 1)].exact.isEmpty
        } else {
            moved = concepts[value: Int32(entryID >> 1)].below.remove(at: position, pool: &pool)
            emptied = concepts[value: Int32(entryID >> 1)].below.isEmpty
        }
        if let moved { setPosition(position, of: entryID, inProfileOf: moved) }
        guard emptied else { return }
        left.append(entry(entryID))
        if entryID == Self.allEntry { return }
        let concept = Int32(entryID >> 1)
        if entryID & 1 == 0 { exactEntryCount -= 1 } else { belowEntryCount -= 1 }
        let lists = concepts[value: concept]
        if lists.exact.isEmpty && lists.below.isEmpty { concepts.remove(concept) }
    }

    /// Records that `slot` now sits at `position` of the list of `entryID`. O(log |profile|).
    private mutating func setPosition(_ position: UInt32, of entryID: UInt32, inProfileOf slot: UInt32) {
        profiles[Int(slot)].withUnsafeMutableBufferPointer { profile in
            let (found, index) = Self.search(UnsafeBufferPointer(profile), for: entryID)
            precondition(found, "SubscriberLookupIndex: slot \(slot) is in a list its profile lacks")
            profile[index] = UInt64(entryID) << 32 | UInt64(position)
        }
    }

    /// Moves the profile of `slot` out, leaving an empty one, so that changing it
    /// makes no copy-on-write copy. The caller puts it back.
    private mutating func takeProfile(ofSlot slot: UInt32) -> [UInt64] {
        var profile: [UInt64] = []
        swap(&profile, &profiles[Int(slot)])
        return profile
    }

    // MARK: Profile elements

    @inline(__always)
    static func elementID(_ element: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: element >> 32) }

    @inline(__always)
    static func elementPosition(_ element: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: element) }

    /// Binary search of a sorted profile for `entryID`: whether it is there, and its
    /// index or the index where it would be inserted. O(log |profile|).
    static func search(_ profile: UnsafeBufferPointer<UInt64>, for entryID: UInt32) -> (found: Bool, index: Int) {
        var low = 0
        var high = profile.count
        let key = UInt64(entryID)
        while low < high {
            let middle = (low + high) >> 1
            if profile[middle] >> 32 < key { low = middle + 1 } else { high = middle }
        }
        return (low < profile.count && profile[low] >> 32 == key, low)
    }
}
