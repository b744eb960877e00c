// Entry ids (how the index names an entry inside the process), interning a
// batch of entries, and warming the cache before a batch of changes.
//
// Warming. In a store larger than the cache, every entry of a profile change
// costs a few cache misses (its bucket, its record, its key bytes, its list's
// block), and a loop that probes one entry after another waits for them one at
// a time. The warm-up passes load the same lines for all entries first, in loops
// whose loads do not depend on each other or on a branch over loaded data, so
// the processor keeps many misses in flight; the real work then hits the cache.
// Nothing observable changes; the loaded values go to a sink so that the loads
// are not optimised away.

extension SubscriberLookupIndex {
    /// The entry id of `entry` if its key is interned (its list may still be empty).
    /// O(|entry|); never interns.
    func existingID(of entry: ProfileEntry) -> UInt32? {
        if entry.kind == .all { return Self.allEntry }
        let id = entry.bytes.withUnsafeBytes { concepts.find($0) }
        return id < 0 ? nil : Self.entryID(concept: id, kind: entry.kind)
    }

    /// The entry ids of `entries`, interning their keys (with empty lists) when absent,
    /// each written as id << 32 | index into `ids` (as many as `entries`). Hashes every
    /// key first and warms the table (``ConceptTable/warm(_:scratch:)``, with `spare`),
    /// so that the cache misses of a large store overlap instead of queueing.
    /// Amortised O(Σ |entry|).
    mutating func internIDs(
        of entries: UnsafeBufferPointer<ProfileEntry>, into ids: UnsafeMutableBufferPointer<UInt64>,
        spare: UnsafeMutableBufferPointer<UInt64>
    ) {
        precondition(ids.count >= entries.count && spare.count >= entries.count)
        for index in entries.indices {
            ids[index] = entries[index].bytes.withUnsafeBytes { concepts.hash($0) }
        }
        concepts.warm(UnsafeBufferPointer(rebasing: ids[..<entries.count]), scratch: spare)
        for index in entries.indices {
            let kind = entries[index].kind
            let id: UInt32
            if kind == .all {
                id = Self.allEntry
            } else {
                let hash = ids[index]
                let concept = entries[index].bytes.withUnsafeBytes { concepts.insert($0, hash: hash, value: Lists()).id }
                id = Self.entryID(concept: concept, kind: kind)
            }
            ids[index] = UInt64(id) << 32 | UInt64(index)
        }
    }

    @inline(__always)
    static func entryID(concept: Int32, kind: ProfileEntry.Kind) -> UInt32 {
        UInt32(concept) << 1 | (kind == .below ? 1 : 0)
    }

    /// The entry named by `entryID`, whose key must be live. Allocates its bytes.
    func entry(_ entryID: UInt32) -> ProfileEntry {
        if entryID == Self.allEntry { return .all }
        return concepts.withKey(Int32(entryID >> 1)) {
            ProfileEntry(storedKey: $0, kind: entryID & 1 == 0 ? .exact : .below)
        }
    }

    /// Brings into the cache the lists of the entry ids in `elements` (each an entry
    /// id << 32 | anything; keys must be live): their records and, for lists of two
    /// or more, the block's last slot, which appending and removing touch.
    /// Independent loads, so the cache misses of a large store overlap instead of
    /// queueing one by one in the loop that changes the lists. O(elements).
    mutating func warmLists(_ elements: UnsafeBufferPointer<UInt64>) {
        var sink: UInt64 = 0
        concepts.records.withUnsafeBufferPointer { records in
            pool.slots.withUnsafeBufferPointer { pool in
                if pool.isEmpty { return }
                for element in elements {
                    let id = Self.elementID(element)
                    if id == Self.allEntry { continue }
                    let lists = records[Int(id >> 1)].value
                    let list = id & 1 == 0 ? lists.exact : lists.below
                    // A select, not a branch on loaded data (see ConceptTable.warm).
                    sink &+= UInt64(pool[list.lastBlockOffset])
                }
            }
        }
        warmSink = sink
    }

    /// The list of `entryID`, whose key must be live.
    func list(_ entryID: UInt32) -> SlotList {
        if entryID == Self.allEntry { return allSubscribers }
        let lists = concepts[value: Int32(entryID >> 1)]
        return entryID & 1 == 0 ? lists.exact : lists.below
    }
}
