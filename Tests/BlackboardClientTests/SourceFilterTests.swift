@testable import BlackboardClient
import BlackboardCore
import BlackboardProtocol
import Testing

@Suite struct SourceFilterTests {
    static let message = [Pair("wf:A", "1"), Pair("res.cpu", "2"), Pair("res.disk.sda", "3"), Pair("other", "4")]

    @Test(arguments: [
        ([String](), [String]()),
        ([">"], ["wf:A", "res.cpu", "res.disk.sda", "other"]),
        (["wf:A"], ["wf:A"]),
        (["res.>"], ["res.cpu", "res.disk.sda"]),
        (["res.disk.>"], ["res.disk.sda"]),
        (["res"], []),
        (["wf:A", "other"], ["wf:A", "other"]),
        (["wf:A", "res.>", "other"], ["wf:A", "res.cpu", "res.disk.sda", "other"]),
        (["wf:B", "res.cpu.>"], []),
    ])
    func keepsExactlyTheWantedPairsInOrder(profile: [String], wanted: [String]) throws {
        let filter = ConceptFilter(try profile.map { try ProfileEntry($0) })
        let decision = SourceFilter.decide(Self.message, profile: filter)
        let expected: SourceFilter.Decision =
            switch wanted.count {
            case Self.message.count: .all
            case 0: .none(dropped: Self.message.count)
            default: .some(Self.message.filter { wanted.contains($0.concept) }, dropped: Self.message.count - wanted.count)
            }
        #expect(decision == expected)
    }

    @Test func anEmptyMessageIsSentAsIs() {
        #expect(SourceFilter.decide([], profile: ConceptFilter()) == .all)
    }

    @Test(arguments: [
        ("wf:A", true), ("", false), (">", false), ("a.>", false), ("has space", false),
        ("tab\t", false), ("ünïcode", false), (String(repeating: "x", count: 256), true),
        (String(repeating: "x", count: 257), false),
    ])
    func conceptsAreCheckedAgainstTheGrammar(concept: String, valid: Bool) {
        let pairs = [Pair("ok", "1"), Pair(concept, "2")]
        #expect((SourceFilter.invalidConcept(in: pairs) == nil) == valid)
    }
}
