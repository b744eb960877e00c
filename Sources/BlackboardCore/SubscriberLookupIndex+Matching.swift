// Matching a published concept against the index: O(depth of the concept), i.e.
// the `>` list, one probe per dotted prefix and one for the concept itself, never
// a scan of the entries. None of these functions allocates (except the
// Set-returning convenience for tests).

extension SubscriberLookupIndex {
    /// Calls `body` once per (entry that matches `concept`, subscriber of that entry);
    /// a subscriber may be reported more than once if several of its entries match
    /// (callers dedupe). Order: `>` subscribers, then `prefix.>` subscribers shortest
    /// prefix first, then exact subscribers. No allocation.
    public func forEachSubscriber(matching concept: UnsafeRawBufferPointer, _ body: (SubscriberID) -> Void) {
        forEachSubscriberList(matching: concept) { list in
            for slot in list { body(SubscriberID(slot: slot)) }
            return true
        }
    }

    /// The distinct subscribers with an entry matching `concept`. Allocates; for tests and tools.
    public func subscribers(matching concept: some Collection<UInt8>) -> Set<SubscriberID> {
        var result = Set<SubscriberID>()
        Array(concept).withUnsafeBytes { bytes in
            forEachSubscriber(matching: bytes) { result.insert($0) }
        }
        return result
    }

    /// Whether any subscriber has an entry matching `concept`. Stops at the first
    /// match; no allocation.
    public func hasInterest(in concept: UnsafeRawBufferPointer) -> Bool {
        var found = false
        forEachSubscriberList(matching: concept) { _ in
            found = true
            return false
        }
        return found
    }

    /// Calls `body` with each non-empty subscriber list whose entry matches `concept`,
    /// in the order of ``forEachSubscriber(matching:_:)``, until `body` returns false.
    /// The hot path of separation: whole lists, so the caller's loop stays tight.
    @inline(__always)
    func forEachSubscriberList(
        matching concept: UnsafeRawBufferPointer,
        _ body: (UnsafeBufferPointer<UInt32>) -> Bool
    ) {
        pool.slots.withUnsafeBufferPointer { pool in
            let pool = pool.baseAddress
            if !allSubscribers.isEmpty {
                guard allSubscribers.withSlots(pool: pool, body) else { return }
            }
            if exactEntryCount == 0 && belowEntryCount == 0 { return }
            concepts.records.withUnsafeBufferPointer { records in
                concepts.forEachKey(
                    selecting: concept, prefixes: belowEntryCount > 0, exact: exactEntryCount > 0
                ) { id, isExact in
                    // A live id may have only the other kind of list; skip an empty one.
                    let list = isExact ? records[Int(id)].value.exact : records[Int(id)].value.below
                    return list.isEmpty || list.withSlots(pool: pool, body)
                }
            }
        }
    }
}
