import BlackboardTestSupport
import BlackboardCore
import Testing

@Suite("ConceptFilter")
struct ConceptFilterTests {
    @Test func startsEmptyAndMatchesNothing() {
        let filter = ConceptFilter()
        #expect(filter.isEmpty)
        #expect(filter.count == 0)
        #expect(filter.entries.isEmpty)
        #expect(!filter.matches("a"))
        #expect(filter == ConceptFilter([]))
    }

    @Test func insertAndRemoveReportChanges() {
        var filter = ConceptFilter()
        #expect(filter.insert(entry("a")) == true)
        #expect(filter.insert(entry("a")) == false)
        #expect(filter.insert(entry("a.>")) == true)
        #expect(filter.insert(entry(">")) == true)
        #expect(filter.insert(entry(">")) == false)
        #expect(filter.count == 3)
        #expect(filter.entries == [entry(">"), entry("a"), entry("a.>")])
        #expect(filter.contains(entry("a")) && filter.contains(entry("a.>")) && filter.contains(entry(">")))
        #expect(!filter.contains(entry("a.b")))

        #expect(filter.remove(entry("a")) == true)
        #expect(filter.remove(entry("a")) == false)
        #expect(!filter.contains(entry("a")))
        #expect(filter.contains(entry("a.>")), "removing the exact entry keeps the hierarchy entry on the same key")
        #expect(filter.remove(entry(">")) == true)
        #expect(filter.remove(entry(">")) == false)
        #expect(filter.remove(entry("a.>")) == true)
        #expect(filter.remove(entry("b.>")) == false)
        #expect(filter.isEmpty)
    }

    @Test func matchesThroughEveryKindOfEntry() {
        let filter = ConceptFilter([entry("wf:Started"), entry("res.>"), entry("a.b.>")])
        #expect(filter.matches("wf:Started"))
        #expect(filter.matches("res.cpu"))
        #expect(filter.matches("res.cpu.load"))
        #expect(filter.matches("a.b.c"))
        #expect(!filter.matches("res"))
        #expect(!filter.matches("a.b"))
        #expect(!filter.matches("a.c"))
        #expect(!filter.matches("wf:Ended"))
        #expect(filter.matches(bytes("res.cpu")[...]))
        bytes("res.cpu").withUnsafeBytes { #expect(filter.matches($0)) }
        #expect(ConceptFilter([entry(">")]).matches("anything.at.all"))
    }

    @Test func applyingADeltaRemovesThenAdds() {
        var filter = ConceptFilter([entry("a"), entry("b")])
        filter.apply(ProfileDelta(version: 2, added: [entry("c"), entry("d.>")], removed: [entry("a")]))
        #expect(filter == ConceptFilter([entry("b"), entry("c"), entry("d.>")]))
    }

    @Test func equalityIgnoresHistory() {
        var churned = ConceptFilter()
        for number in 0..<200 { churned.insert(.exact("k\(number)")) }
        for number in 0..<200 where number % 3 != 0 { churned.remove(.exact("k\(number)")) }
        churned.insert(.below("k0"))
        let direct = ConceptFilter((0..<200).filter { $0 % 3 == 0 }.map { .exact("k\($0)") } + [.below("k0")])
        #expect(churned == direct)
        #expect(churned.entries == direct.entries)
        var different = direct
        different.remove(.below("k0"))
        different.insert(.exact("k1"))
        #expect(different != direct, "same count, different entries")
    }

    /// Random inserts and removals over a few hundred keys against a plain Set:
    /// exercises the hash table's growth, backward-shift deletion, id reuse and
    /// arena compaction through the public API.
    @Test(arguments: [7, 99, 2025] as [UInt64])
    func agreesWithASetUnderChurn(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let segments = ["a", "b", "res", "cpu", "wf:Started", "notebook", "x1", "y22", "LinearSolver"]
        func randomConcept() -> String {
            (0...Int.random(in: 0...3, using: &random)).map { _ in segments.randomElement(using: &random)! }
                .joined(separator: ".")
        }
        let keys = (0..<300).map { _ in randomConcept() }
        let probes = (0..<100).map { _ in randomConcept() } + keys.prefix(50)
        var filter = ConceptFilter()
        var reference = Set<ProfileEntry>()
        for step in 0..<3000 {
            let key = keys.randomElement(using: &random)!
            let roll = Int.random(in: 0..<100, using: &random)
            let entry: ProfileEntry = roll < 2 ? .all : roll < 40 ? .below(key) : .exact(key)
            if Bool.random(using: &random) {
                try #require(filter.insert(entry) == reference.insert(entry).inserted)
            } else {
                try #require(filter.remove(entry) == (reference.remove(entry) != nil))
            }
            try #require(filter.count == reference.count, "seed \(seed), step \(step)")
            try #require(filter.contains(entry) == reference.contains(entry))
            if step % 100 == 99 {
                try #require(filter.entries == reference.sorted())
                try #require(filter == ConceptFilter(reference.shuffled(using: &random)))
                let expected = probes.map { probe in reference.contains { $0.matches(bytes(probe)) } }
                try #require(probes.map { filter.matches($0) } == expected)
            }
        }
    }
}
