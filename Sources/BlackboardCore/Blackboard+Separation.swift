// Separation (paper Figure 8), made cheap: for one message, the pairs each
// subscriber wants, in publication order, each at most once.
//
// 1. Per pair, the index yields the subscriber lists of the entries matching its
//    concept (O(depth) probes). A per-slot stamp, the index of the last pair the
//    slot took, drops the duplicates that arise when several entries of one
//    subscriber match the same pair. Each new (slot, pair) is appended to `hits`;
//    a slot's first hit also appends it to `touched`.
// 2. A counting sort groups `hits` by slot in `touched` order. Because hits were
//    appended in pair order, each slot's group comes out ascending.
// 3. Each touched slot gets one `deliver` call with its group; stamps and counts
//    are reset for the next message.
//
// All arrays live in SeparationScratch and keep their capacity, so a message
// allocates only when it needs more room than every earlier one did.

extension Blackboard {
    /// Hits (subscriber-pair matches) per message below which separation keeps its
    /// arrays' capacity between messages: 12 bytes per hit, so at most 12 MiB.
    static let retainedHitCapacity = 1 << 20

    /// Separates one message. Its pairs lie in `storage` at `pairs` (concept ranges
    /// must lie inside `storage`; values are not read). Calls `deliver` once per
    /// subscriber that matches at least one pair, with the indices of its pairs in
    /// publication order, each pair at most once; a subscriber matching nothing gets
    /// no call. The buffer passed to `deliver` is valid only during that call.
    ///
    /// Order: first-match order. Subscribers are delivered to in the order in which
    /// they first matched a pair, i.e. by the lowest pair index they take; among
    /// subscribers first matching the same pair, the order is unspecified.
    ///
    /// - Returns: the number of pairs that matched no subscriber (filtered).
    /// - Complexity: O(Σ over pairs of (concept length + matching subscriptions)).
    ///   No allocation in steady state.
    public mutating func separate(
        storage: UnsafeRawBufferPointer,
        pairs: UnsafeBufferPointer<PairSpan>,
        deliver: (SubscriberID, UnsafeBufferPointer<Int32>) -> Void
    ) -> Int {
        precondition(pairs.count < Int(Int32.max), "separate: too many pairs")
        if pairs.count == 1 {
            // Disjoint stored properties: the index is borrowed, not copied.
            return Self.separateSinglePair(
                index: index, scratch: &scratch, storage: storage, pair: pairs[0], deliver: deliver)
        }
        // Hot state in locals: the index by value (a few retains, no copy of its
        // storage) and the scratch moved out of `self`, so that the loops below
        // touch neither `self` nor its exclusivity bookkeeping.
        let index = self.index
        var scratch = SeparationScratch()
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }

        var filtered = 0
        var touched = scratch.touched
        var hits = scratch.hits
        scratch.touched = []
        scratch.hits = []
        scratch.lastPair.withUnsafeMutableBufferPointer { lastPair in
            scratch.pairCount.withUnsafeMutableBufferPointer { pairCount in
                for pairIndex in 0..<pairs.count {
                    let range = pairs[pairIndex].concept
                    precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "separate: pair outside storage")
                    let concept = UnsafeRawBufferPointer(rebasing: storage[range])
                    let stamp = Int32(truncatingIfNeeded: pairIndex)
                    let hitsBefore = hits.count
                    index.forEachSubscriberList(matching: concept) { list in
                        for slot in list {
                            let position = Int(slot)
                            let last = lastPair[position]
                            if last == stamp { continue }
                            if last < 0 { touched.append(slot) }
                            lastPair[position] = stamp
                            pairCount[position] &+= 1
                            hits.append(UInt64(slot) << 32 | UInt64(UInt32(bitPattern: stamp)))
                        }
                        return true
                    }
                    if hits.count == hitsBefore { filtered += 1 }
                }
            }
        }
        if hits.isEmpty {
            scratch.touched = touched
            scratch.hits = hits
            return filtered
        }

        // Group cursors are Int32; a message this large would be billions of deliveries.
        precondition(hits.count < Int(Int32.max), "separate: too many deliveries in one message")
        if scratch.selected.count < hits.count {
            scratch.selected.append(contentsOf: repeatElement(0, count: hits.count - scratch.selected.count))
        }
        scratch.lastPair.withUnsafeMutableBufferPointer { lastPair in
            scratch.pairCount.withUnsafeMutableBufferPointer { pairCount in
                scratch.selected.withUnsafeMutableBufferPointer { selected in
                    // Counts become write cursors: each slot's group starts where the previous ended.
                    var start: Int32 = 0
                    for slot in touched {
                        let count = pairCount[Int(slot)]
                        pairCount[Int(slot)] = start
                        start &+= count
                    }
                    for hit in hits {
                        let slot = Int(truncatingIfNeeded: hit >> 32)
                        selected[Int(pairCount[slot])] = Int32(truncatingIfNeeded: hit)
                        pairCount[slot] &+= 1
                    }
                    // Cursors now mark each group's end.
                    var groupStart = 0
                    for slot in touched {
                        let groupEnd = Int(pairCount[Int(slot)])
                        deliver(SubscriberID(slot: slot), UnsafeBufferPointer(rebasing: selected[groupStart..<groupEnd]))
                        groupStart = groupEnd
                        lastPair[Int(slot)] = -1
                        pairCount[Int(slot)] = 0
                    }
                }
            }
        }
        touched.removeAll(keepingCapacity: true)
        scratch.touched = touched
        // Keep the capacity, unless a freak message (say 100,000 pairs to 1,000 `>`
        // subscribers) grew these past what steady state needs: then give it back.
        if hits.count <= Self.retainedHitCapacity {
            hits.removeAll(keepingCapacity: true)
            scratch.hits = hits
        } else {
            scratch.selected = []
        }
        return filtered
    }

    /// The common one-pair message: every matching subscriber takes pair 0, so
    /// there is nothing to group. Subscribers are delivered to as the index
    /// yields them (first-match order); a per-slot generation stamp drops a
    /// subscriber that a second entry matches again.
    private static func separateSinglePair(
        index: SubscriberLookupIndex, scratch: inout SeparationScratch,
        storage: UnsafeRawBufferPointer, pair: PairSpan,
        deliver: (SubscriberID, UnsafeBufferPointer<Int32>) -> Void
    ) -> Int {
        let range = pair.concept
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "separate: pair outside storage")
        let generation = scratch.nextGeneration()
        var matched = false
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 1) { selected in
            selected.initialize(repeating: 0)
            let onlyPair = UnsafeBufferPointer(selected)
            scratch.seenIn.withUnsafeMutableBufferPointer { seenIn in
                index.forEachSubscriberList(matching: UnsafeRawBufferPointer(rebasing: storage[range])) { list in
                    for slot in list where seenIn[Int(slot)] != generation {
                        seenIn[Int(slot)] = generation
                        matched = true
                        deliver(SubscriberID(slot: slot), onlyPair)
                    }
                    return true
                }
            }
        }
        return matched ? 0 : 1
    }
}
