import BlackboardCore
import Testing

private let s0 = SubscriberID(slot: 0)
private let s1 = SubscriberID(slot: 1)
private let s2 = SubscriberID(slot: 2)

@Suite("SubscriberLookupIndex")
struct SubscriberLookupIndexTests {
    /// s0: a.b.c and a.>; s1: a.b.>, wf:Started; s2: >.
    private func sampleIndex() -> SubscriberLookupIndex {
        var index = SubscriberLookupIndex()
        index.insert(entry("a.b.c"), for: s0)
        index.insert(entry("a.>"), for: s0)
        index.insert(entry("a.b.>"), for: s1)
        index.insert(entry("wf:Started"), for: s1)
        index.insert(entry(">"), for: s2)
        return index
    }

    @Test(arguments: [
        ("a.b.c", [s0, s1, s2]),
        ("a.b", [s0, s2]),
        ("a", [s2]),
        ("a.x", [s0, s2]),
        ("wf:Started", [s1, s2]),
        ("zzz", [s2]),
    ] as [(String, Set<SubscriberID>)])
    func matchesEveryKindOfEntry(concept: String, expected: Set<SubscriberID>) {
        #expect(sampleIndex().subscribers(matching: bytes(concept)) == expected)
    }

    @Test func reportsOncePerMatchingEntry() {
        var reported: [SubscriberID] = []
        bytes("a.b.c").withUnsafeBytes { concept in
            sampleIndex().forEachSubscriber(matching: concept) { reported.append($0) }
        }
        // `>`, then `a.>` and `a.b.>` (shortest prefix first), then the exact entry.
        #expect(reported == [s2, s0, s1, s0])
    }

    @Test func countsEntriesAndSubscribers() {
        var index = sampleIndex()
        index.insert(entry("a.>"), for: s1)
        index.insert(entry("a.>"), for: s1)
        #expect(index.entryCount == 5)
        #expect(index.subscriberCount(of: entry("a.>")) == 2)
        #expect(index.subscriberCount(of: entry("a")) == 0, "the key `a` exists for `a.>` only")
        #expect(index.subscriberCount(of: entry("nope")) == 0)
        #expect(index.subscribers(of: entry("a.>")) == [s0, s1])
        #expect(index.entries.map(\.entry.text) == [">", "a.>", "a.b.>", "a.b.c", "wf:Started"])
        #expect(index.entries.map(\.subscribers) == [1, 2, 1, 1, 1])
    }

    @Test func keepsNoEmptyEntries() {
        var index = sampleIndex()
        index.remove(entry("a.b.c"), for: s0)
        index.remove(entry("a.b.c"), for: s0)
        index.remove(entry("a.>"), for: s1)
        index.remove(entry("never"), for: s1)
        #expect(index.entryCount == 4)
        index.remove(entry("a.>"), for: s0)
        index.remove(entry("a.b.>"), for: s1)
        index.remove(entry("wf:Started"), for: s1)
        index.remove(entry(">"), for: s2)
        #expect(index.entryCount == 0)
        #expect(index.entries.isEmpty)
        bytes("a.b.c").withUnsafeBytes { #expect(!index.hasInterest(in: $0)) }
    }

    @Test func removalKeepsTheOtherSubscribers() {
        var index = SubscriberLookupIndex()
        let many = (0..<50).map { SubscriberID(slot: UInt32($0)) }
        for subscriber in many { index.insert(entry("x"), for: subscriber) }
        for subscriber in many where subscriber.slot % 2 == 0 { index.remove(entry("x"), for: subscriber) }
        #expect(index.subscribers(of: entry("x")) == many.filter { $0.slot % 2 == 1 })
        #expect(index.subscribers(matching: bytes("x")) == Set(many.filter { $0.slot % 2 == 1 }))
    }

    @Test func hasInterestMatchesSubscribers() {
        let index = sampleIndex()
        var withoutAll = index
        withoutAll.remove(entry(">"), for: s2)
        for concept in ["a", "a.b", "a.b.c", "wf:Started", "wf:Ended", "b.c"] {
            bytes(concept).withUnsafeBytes { raw in
                #expect(index.hasInterest(in: raw))
                #expect(withoutAll.hasInterest(in: raw) == !withoutAll.subscribers(matching: bytes(concept)).isEmpty)
            }
        }
    }
}
