import BlackboardCore
import Testing

private let a254 = String(repeating: "a", count: 254)
private let a255 = String(repeating: "a", count: 255)
private let a256 = String(repeating: "a", count: 256)
private let a257 = String(repeating: "a", count: 257)

@Suite("Profile entries")
struct ProfileEntryTests {
    @Test(arguments: [
        ("a", .exact, "a"),
        ("wf:Started", .exact, "wf:Started"),
        ("a.b.c", .exact, "a.b.c"),
        ("a.", .exact, "a."),
        (">>", .exact, ">>"),
        ("a>", .exact, "a>"),
        ("a.>.b", .exact, "a.>.b"),
        (a256, .exact, a256),
        ("a.>", .below, "a"),
        ("a.b.>", .below, "a.b"),
        ("notebook.>", .below, "notebook"),
        (".a.>", .below, ".a"),
        (a254 + ".>", .below, a254),
        (">", .all, ""),
    ] as [(String, ProfileEntry.Kind, String)])
    func parsesValidEntries(text: String, kind: ProfileEntry.Kind, stored: String) throws {
        let parsed = try ProfileEntry(parsing: bytes(text))
        #expect(parsed.kind == kind)
        #expect(parsed.bytes == bytes(stored))
        #expect(parsed.wireBytes == bytes(text))
        #expect(parsed.text == text)
        #expect(try ProfileEntry(text) == parsed)
    }

    @Test(arguments: [
        ("", .empty),
        (".>", .badWildcard),
        ("a..>", .badWildcard),
        ("..>", .badWildcard),
        (a257, .tooLong(length: 257, limit: 256)),
        (a255 + ".>", .tooLong(length: 257, limit: 256)),
        ("a b", .invalidByte(0x20, offset: 1)),
        ("a b.>", .invalidByte(0x20, offset: 1)),
        ("é", .invalidByte(0xC3, offset: 0)),
        ("a\u{7F}", .invalidByte(0x7F, offset: 1)),
        ("a\t.>", .invalidByte(0x09, offset: 1)),
    ] as [(String, ConceptError)])
    func rejectsInvalidEntries(text: String, expected: ConceptError) {
        #expect(throws: expected) { try ProfileEntry(parsing: bytes(text)) }
    }

    @Test func respectsALowerConceptLimit() throws {
        #expect(try ProfileEntry(parsing: bytes("abcd"), maxConceptBytes: 4).kind == .exact)
        #expect(throws: ConceptError.tooLong(length: 5, limit: 4)) {
            try ProfileEntry(parsing: bytes("abcde"), maxConceptBytes: 4)
        }
        #expect(try ProfileEntry(parsing: bytes("ab.>"), maxConceptBytes: 4).kind == .below)
        #expect(throws: ConceptError.tooLong(length: 5, limit: 4)) {
            try ProfileEntry(parsing: bytes("abc.>"), maxConceptBytes: 4)
        }
    }

    @Test func factoriesAgreeWithParsing() throws {
        #expect(ProfileEntry.exact("res:CPU") == (try ProfileEntry("res:CPU")))
        #expect(ProfileEntry.below("res") == (try ProfileEntry("res.>")))
        #expect(ProfileEntry.all == (try ProfileEntry(">")))
    }

    @Test func ordersByWireForm() {
        let sorted = [entry("b"), entry(">"), entry("a.>"), entry("a"), entry("a.b")].sorted()
        #expect(sorted.map(\.text) == [">", "a", "a.>", "a.b", "b"])
    }

    /// The reference definition of matching, and the filter and the index, which
    /// must agree with it.
    @Test(arguments: [
        ("a", "a", true),
        ("a", "a.b", false),
        ("a", "ab", false),
        ("a.b", "a.b", true),
        ("a.>", "a", false),
        ("a.>", "a.", false),
        ("a.>", "a.b", true),
        ("a.>", "a.b.c", true),
        ("a.>", "a..b", true),
        ("a.>", "ab.c", false),
        ("a.>", "b.a.c", false),
        ("a.b.>", "a.b", false),
        ("a.b.>", "a.b.c", true),
        ("a.b.>", "a.bc.d", false),
        ("a.b.>", "a.c.d", false),
        ("notebook.>", "notebook.experiment.LinearSolver", true),
        ("a.", "a.", true),
        (">", "a", true),
        (">", "wf:Started", true),
        (">", "x.y.z", true),
    ] as [(String, String, Bool)])
    func matching(entryText: String, concept: String, expected: Bool) {
        let entry = entry(entryText)
        #expect(entry.matches(bytes(concept)) == expected)
        let filter = ConceptFilter([entry])
        #expect(filter.matches(concept) == expected)
        #expect(filter.matches(bytes(concept)) == expected)
        var index = SubscriberLookupIndex()
        index.insert(entry, for: SubscriberID(slot: 3))
        let matched = index.subscribers(matching: bytes(concept))
        #expect(matched == (expected ? [SubscriberID(slot: 3)] : []))
        bytes(concept).withUnsafeBytes { #expect(index.hasInterest(in: $0) == expected) }
    }
}
