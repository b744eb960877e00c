import BlackboardTestSupport
import BlackboardCore
import Testing

/// Published concepts: a dotted hierarchy with overlaps, plus concepts no entry names.
private let concepts = [
    "a", "a.b", "a.b.c", "a.c", "a.bc", "ab", "a.", "a..b", "b", "b.x", "b.x.y", "wf:Started", "wf:Ended", "c.d.e", "zz",
]

/// Profile entries: exact, hierarchy at several depths, and `>`.
private let entries: [ProfileEntry] = [
    .exact("a"), .exact("a.b"), .exact("a.b.c"), .exact("a.bc"), .exact("a."), .exact("b.x"), .exact("wf:Started"),
    .exact("c.d.e"), .exact("never.published"), .below("a"), .below("a.b"), .below("b"), .below("b.x"), .below("c"),
    .below("wf:Started"), .all,
]

private let uris = (0..<6).map { "urn:test:s\($0)" }

/// Random operation sequences against ReferenceBlackboard, checking after every
/// step everything the contract promises about deliveries, the index, the
/// aggregate profile, its deltas and versions, and slots.
@Suite("Blackboard against a reference model")
struct BlackboardModelTests {
    @Test(arguments: [1, 2, 3, 42, 2024, 0xDEAD_BEEF] as [UInt64])
    func randomOperations(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var board = Blackboard()
        var model = ReferenceBlackboard()
        var replayed = ConceptFilter()
        var version: UInt64 = 0

        func randomEntries() -> [ProfileEntry] {
            (0..<Int.random(in: 0...4, using: &random)).map { _ in entries.randomElement(using: &random)! }
        }

        for step in 0..<2000 {
            let context = Comment(rawValue: "seed \(seed), step \(step)")
            let uri = uris.randomElement(using: &random)!
            let unionBefore = model.union
            var change: ProfileChange?
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<20:
                let profile = randomEntries()
                change = board.subscribe(uri, to: profile)
                model.subscribe(uri, to: profile)
                try #require(change?.subscriber != nil && change?.subscriber == board.subscriberID(of: uri), context)
            case 20..<40:
                let added = randomEntries()
                change = board.add(added, for: uri)
                model.add(added, for: uri)
                try #require(change?.subscriber != nil && change?.subscriber == board.subscriberID(of: uri), context)
            case 40..<55:
                let removed = randomEntries()
                change = board.remove(removed, for: uri)
                model.remove(removed, for: uri)
                try #require(change?.subscriber == board.subscriberID(of: uri), context)
            case 55..<65:
                change = board.unsubscribe(uri)
                model.unsubscribe(uri)
                try #require(change?.subscriber == nil, context)
            default:
                let published = (0..<Int.random(in: 0...8, using: &random)).map { _ in concepts.randomElement(using: &random)! }
                try checkSeparation(&board, model, published, context)
            }

            if let change {
                let unionAfter = model.union
                let joined = unionAfter.subtracting(unionBefore).sorted()
                let left = unionBefore.subtracting(unionAfter).sorted()
                if joined.isEmpty && left.isEmpty {
                    try #require(change.delta == nil, context)
                } else {
                    version += 1
                    try #require(change.delta == ProfileDelta(version: version, added: joined, removed: left), context)
                }
                if let delta = change.delta { replayed.apply(delta) }
                try #require(change.version == version, context)
            }
            try #require(board.aggregateVersion == version, context)
            try #require(replayed.entries == board.aggregate.entries, context)
            try checkState(board, model, context)
        }
    }

    /// Store, slots, index (the exact inverse of the store, no empty entries) and aggregate.
    private func checkState(_ board: Blackboard, _ model: ReferenceBlackboard, _ context: Comment) throws {
        try #require(board.subscriberURIs == model.profiles.keys.sorted(), context)
        try #require(board.subscriberCount == model.profiles.count, context)
        for uri in uris {
            try #require(board.profile(of: uri) == model.profiles[uri], context)
            let extra = Array(entries.prefix(5))
            let expectedCount = model.profiles[uri].map { $0.union(extra).count }
            try #require(board.profileCount(of: uri, adding: extra) == expectedCount, context)
        }

        let slots = model.profiles.keys.compactMap { board.subscriberID(of: $0) }
        try #require(slots.count == model.profiles.count && Set(slots).count == slots.count, "slots unique, \(context)")
        try #require(model.profiles.keys.allSatisfy { board.uri(of: board.subscriberID(of: $0)!) == $0 }, context)

        let index = board.index
        let inverse = model.inverse
        var actual: [ProfileEntry: Set<String>] = [:]
        for (entry, count) in index.entries {
            let subscribers = index.subscribers(of: entry)
            try #require(count > 0 && count == subscribers.count && count == index.subscriberCount(of: entry), context)
            actual[entry] = Set(subscribers.map { board.uri(of: $0) ?? "<dead slot \($0.slot)>" })
        }
        try #require(actual == inverse, context)
        try #require(index.entryCount == inverse.count, context)
        try #require(index.entries.map(\.entry) == inverse.keys.sorted(), context)

        let union = model.union
        try #require(board.aggregate.entries == union.sorted(), context)
        try #require(board.aggregate.count == union.count && board.aggregate.isEmpty == union.isEmpty, context)
        for entry in entries { try #require(board.aggregate.contains(entry) == union.contains(entry), context) }
        for concept in concepts {
            let expected = model.subscribers(matching: concept)
            let matched = Set(index.subscribers(matching: bytes(concept)).map { board.uri(of: $0) ?? "<dead>" })
            try #require(matched == expected, "\(concept): \(context)")
            try bytes(concept).withUnsafeBytes { try #require(index.hasInterest(in: $0) == !expected.isEmpty, context) }
            try #require(board.aggregate.matches(concept) == !expected.isEmpty, context)
        }
    }

    /// Deliveries identical to the model's: same subscribers, same pair indices in
    /// order, one call per subscriber, none empty, in first-match order; and twice
    /// in a row, so leftovers in the reused scratch would show.
    private func checkSeparation(_ board: inout Blackboard, _ model: ReferenceBlackboard, _ published: [String], _ context: Comment) throws {
        let expected = model.separate(published)
        let message = TestMessage(published)
        let result = board.separate(message)
        var delivered: [String: [Int32]] = [:]
        for delivery in result.deliveries {
            let uri = board.uri(of: delivery.subscriber) ?? "<dead slot>"
            try #require(delivered[uri] == nil && !delivery.pairs.isEmpty, "one non-empty call per subscriber, \(context)")
            delivered[uri] = delivery.pairs
        }
        try #require(delivered == expected.deliveries, context)
        try #require(result.filtered == expected.filtered, context)
        let firstPairs = result.deliveries.map { $0.pairs.first ?? -1 }
        try #require(firstPairs == firstPairs.sorted(), "first-match order, \(context)")
        try #require(board.separate(message) == result, context)
    }
}
