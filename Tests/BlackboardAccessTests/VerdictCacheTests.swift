import BlackboardAccess
import Testing

@Suite struct VerdictCacheTests {
    private func verdict(_ cache: VerdictCache, _ concept: String) -> Bool? {
        Array(concept.utf8).withUnsafeBytes { cache.verdict(for: $0) }
    }

    private func remember(_ cache: inout VerdictCache, _ verdict: Bool, _ concept: String) {
        Array(concept.utf8).withUnsafeBytes { cache.remember(verdict, for: $0) }
    }

    @Test func aRememberedVerdictIsGivenForThatConceptOnly() {
        var cache = VerdictCache()
        #expect(verdict(cache, "wf.a") == nil)
        remember(&cache, true, "wf.a")
        remember(&cache, false, "secret.key")
        #expect(verdict(cache, "wf.a") == true)
        #expect(verdict(cache, "secret.key") == false)
        #expect(verdict(cache, "wf.b") == nil)
        #expect(verdict(cache, "wf.") == nil)
        #expect(verdict(cache, "wf.aa") == nil)
    }

    @Test func moreConceptsThanSlotsNeverGiveAWrongVerdict() {
        var cache = VerdictCache()
        let concepts = (0..<(VerdictCache.slotCount * 4)).map { "c.\($0)" }
        for (index, concept) in concepts.enumerated() { remember(&cache, index % 3 == 0, concept) }
        var hits = 0
        for (index, concept) in concepts.enumerated() {
            if let known = verdict(cache, concept) {
                #expect(known == (index % 3 == 0), "\(concept)")
                hits += 1
            }
        }
        // Each slot keeps its latest concept: at most one per slot is remembered.
        #expect(hits > 0 && hits <= VerdictCache.slotCount)
    }

    @Test func removeAllForgetsEverything() {
        var cache = VerdictCache()
        remember(&cache, true, "wf.a")
        cache.removeAll()
        #expect(verdict(cache, "wf.a") == nil)
    }
}
