import BlackboardTestSupport
@testable import BlackboardCore
import Testing

/// The lookup index's internal invariants under random churn with many
/// subscribers per entry (lists of one, two and many; arrays that grow and
/// shrink; keys interned and given back; slots reused): lists and profiles are
/// exact inverses, positions are right, no empty entry is kept, and the
/// aggregate derived from the index is the union of the profiles.
@Suite("Lookup index invariants")
struct IndexInvariantTests {
    @Test(arguments: [5, 77, 31337] as [UInt64])
    func randomChurn(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let entries: [ProfileEntry] = (0..<30).map { .exact("c\($0)") } + (0..<8).map { .below("c\($0)") }
            + [.all, .exact("a.b"), .below("a"), .below("a.b")]
        let uris = (0..<80).map { "urn:test:\($0)" }
        var board = Blackboard()
        var model = ReferenceBlackboard()
        func randomEntries() -> [ProfileEntry] {
            (0..<Int.random(in: 0...12, using: &random)).map { _ in entries.randomElement(using: &random)! }
        }
        for step in 0..<3000 {
            let uri = uris.randomElement(using: &random)!
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<35:
                let profile = randomEntries()
                board.subscribe(uri, to: profile)
                model.subscribe(uri, to: profile)
            case 35..<60:
                let added = randomEntries()
                board.add(added, for: uri)
                model.add(added, for: uri)
            case 60..<85:
                let removed = randomEntries() + Array((model.profiles[uri] ?? []).prefix(3))
                board.remove(removed, for: uri)
                model.remove(removed, for: uri)
            default:
                board.unsubscribe(uri)
                model.unsubscribe(uri)
            }
            if step % 10 == 0 || step > 2950 {
                try checkInvariants(board.index, Comment(rawValue: "seed \(seed), step \(step)"))
                let union = model.union
                try #require(board.aggregate.entries == union.sorted())
                try #require(board.aggregate.count == union.count)
                for uri in uris {
                    try #require(board.profile(of: uri) == model.profiles[uri])
                }
            }
        }
        for uri in uris { board.unsubscribe(uri) }
        try checkInvariants(board.index, "after everyone left")
        #expect(board.index.entryCount == 0 && board.index.concepts.count == 0)
        #expect(board.aggregate.isEmpty)
    }

    /// Many distinct concepts: the table grows, gives keys back, reuses ids and
    /// compacts its arena, and every list stays where the profiles say.
    @Test func manyConceptsComeAndGo() throws {
        var board = Blackboard()
        for round in 0..<3 {
            for subscriber in 0..<200 {
                let profile = (0..<20).map { ProfileEntry.exact("r\(round).s\(subscriber).c\($0)") }
                    + [.exact("shared\(subscriber % 7)"), .below("tree\(subscriber % 3)")]
                board.subscribe("urn:\(subscriber)", to: profile)
            }
            try checkInvariants(board.index, "round \(round)")
            #expect(board.aggregate.count == 200 * 20 + 7 + 3)
        }
        for subscriber in 0..<200 { board.unsubscribe("urn:\(subscriber)") }
        try checkInvariants(board.index, "empty")
        #expect(board.index.concepts.count == 0)
    }

    /// Profiles large enough for the radix sort of entry ids (more than 32 entries,
    /// ids above 255 so that several byte passes run), with duplicates, replaced,
    /// extended and shrunk.
    @Test func largeProfilesWithDuplicates() throws {
        var random = SplitMix64(seed: 404)
        var board = Blackboard()
        var model = ReferenceBlackboard()
        let pool: [ProfileEntry] = (0..<700).map { .exact("big\($0)") } + (0..<50).map { .below("tree\($0)") } + [.all]
        for step in 0..<60 {
            let uri = "urn:big:\(step % 7)"
            var profile = (0..<Int.random(in: 30...400, using: &random)).map { _ in pool.randomElement(using: &random)! }
            profile += profile.prefix(40)
            switch step % 3 {
            case 0:
                board.subscribe(uri, to: profile)
                model.subscribe(uri, to: profile)
            case 1:
                board.add(profile, for: uri)
                model.add(profile, for: uri)
            default:
                board.remove(profile, for: uri)
                model.remove(profile, for: uri)
            }
            try checkInvariants(board.index, "step \(step)")
            try #require(board.profile(of: uri) == model.profiles[uri], "step \(step)")
            try #require(board.aggregate.entries == model.union.sorted(), "step \(step)")
        }
    }

    @Test(arguments: [3, 33, 100, 5000] as [Int])
    func sortByIDSortsByTheHighHalf(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        var elements = (0..<count).map { index -> UInt64 in
            let id = random.next() % (count > 100 ? 1 << 20 : 300)
            return id << 32 | UInt64(index)
        }
        let expected = elements.map { $0 >> 32 }.sorted()
        var spare = [UInt64](repeating: 0, count: count)
        var counts = [UInt32](repeating: 0, count: 256)
        elements.withUnsafeMutableBufferPointer { elements in
            spare.withUnsafeMutableBufferPointer { spare in
                counts.withUnsafeMutableBufferPointer { ChangeScratch.sortByID(elements, spare: spare, counts: $0) }
            }
        }
        #expect(elements.map { $0 >> 32 } == expected)
        #expect(Set(elements.map { $0 & 0xFFFF_FFFF }).count == count, "every element kept once")
    }

    private func checkInvariants(_ index: SubscriberLookupIndex, _ context: Comment) throws {
        var pairs = 0
        for slot in index.profiles.indices {
            let profile = index.profiles[slot]
            for (offset, element) in profile.enumerated() {
                let id = SubscriberLookupIndex.elementID(element)
                if offset > 0 { try #require(SubscriberLookupIndex.elementID(profile[offset - 1]) < id, "sorted, \(context)") }
                let list = index.list(id)
                let position = SubscriberLookupIndex.elementPosition(element)
                try #require(Int(position) < list.count && list.slot(at: position, in: index.pool) == UInt32(slot), "position, \(context)")
            }
            pairs += profile.count
        }
        var listed = index.allSubscribers.count
        var allLists: [SlotList] = [index.allSubscribers]
        var exact = 0
        var below = 0
        var live = 0
        index.concepts.forEachID { id in
            let lists = index.concepts[value: id]
            live += 1
            listed += lists.exact.count + lists.below.count
            if !lists.exact.isEmpty { exact += 1 }
            if !lists.below.isEmpty { below += 1 }
            allLists.append(lists.exact)
            allLists.append(lists.below)
        }
        // Lists hold distinct slots; blocks are at least a quarter full, inside the
        // pool and never overlap.
        var blocks: [Range<Int>] = []
        for list in allLists {
            let slots = (0..<list.count).map { list.slot(at: UInt32($0), in: index.pool) }
            try #require(Set(slots).count == slots.count, "distinct slots, \(context)")
            if let block = list.block {
                try #require(block.upperBound <= index.pool.slots.count, "block inside the pool, \(context)")
                try #require(list.count <= block.count && (block.count == 2 || list.count * 4 > block.count), "fill, \(context)")
                blocks.append(block)
            } else {
                try #require(list.count <= 1, context)
            }
        }
        blocks.sort { $0.lowerBound < $1.lowerBound }
        for (a, b) in zip(blocks, blocks.dropFirst()) { try #require(a.upperBound <= b.lowerBound, "disjoint blocks, \(context)") }
        try #require(listed == pairs, "every list element has its profile element, \(context)")
        try #require(exact == index.exactEntryCount && below == index.belowEntryCount, context)
        try #require(live == index.concepts.count, context)
        try #require(max(exact, below) <= live && live <= exact + below, "a key per non-empty entry, \(context)")
        // No empty entries: every live key has a subscriber in one of its lists.
        var empty = 0
        index.concepts.forEachID { id in
            let lists = index.concepts[value: id]
            if lists.exact.isEmpty && lists.below.isEmpty { empty += 1 }
        }
        try #require(empty == 0, "no key without subscribers, \(context)")
    }
}
