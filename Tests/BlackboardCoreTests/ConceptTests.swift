import BlackboardCore
import Testing

private let a256 = [UInt8](repeating: UInt8(ascii: "a"), count: 256)
private let a257 = [UInt8](repeating: UInt8(ascii: "a"), count: 257)

@Suite("Concept grammar")
struct ConceptTests {
    @Test(arguments: [
        (bytes("a"), nil),
        (bytes("wf:ActivityExecuting"), nil),
        (bytes("http://example.org/onto#Temp"), nil),
        (bytes("a.b.c"), nil),
        (bytes("a."), nil),
        (bytes(".a"), nil),
        (bytes(">a"), nil),
        (bytes("a>"), nil),
        (bytes(">>"), nil),
        (bytes("~!"), nil),
        (a256, nil),
        (a257, .tooLong(length: 257, limit: 256)),
        ([], .empty),
        (bytes(">"), .wildcardInConcept),
        (bytes("a.>"), .wildcardInConcept),
        (bytes(".>"), .wildcardInConcept),
        (bytes("a..>"), .wildcardInConcept),
        (bytes("a b"), .invalidByte(0x20, offset: 1)),
        (bytes(" a"), .invalidByte(0x20, offset: 0)),
        (bytes("a\t"), .invalidByte(0x09, offset: 1)),
        (bytes("a\r\n"), .invalidByte(0x0D, offset: 1)),
        ([0x61, 0x7F], .invalidByte(0x7F, offset: 1)),
        (bytes("café"), .invalidByte(0xC3, offset: 3)),
        ([0x00], .invalidByte(0x00, offset: 0)),
    ] as [([UInt8], ConceptError?)])
    func validation(concept: [UInt8], expected: ConceptError?) {
        #expect(Concept.validate(concept) == expected)
        concept.withUnsafeBytes { #expect(Concept.validate($0) == expected) }
    }

    @Test func validationHonoursALowerLimit() {
        #expect(Concept.validate(bytes("abcd"), maxBytes: 4) == nil)
        #expect(Concept.validate(bytes("abcde"), maxBytes: 4) == .tooLong(length: 5, limit: 4))
    }

    @Test(arguments: [
        ("a", []),
        ("ab", []),
        ("a.", []),
        ("a.b", [1]),
        ("a.b.c", [1, 3]),
        ("a.b.", [1]),
        (".a.b", [2]),
        ("a..b", [1, 2]),
        ("notebook.experiment.LinearSolver", [8, 19]),
    ] as [(String, [Int])])
    func prefixLengths(concept: String, expected: [Int]) {
        var lengths: [Int] = []
        bytes(concept).withUnsafeBytes { Concept.forEachPrefixLength(of: $0) { lengths.append($0) } }
        #expect(lengths == expected)
        // Each yielded prefix P is exactly one whose `P.>` entry matches the concept.
        for length in lengths {
            let prefix = String(concept.prefix(length))
            if !prefix.hasSuffix(".") {
                #expect(ProfileEntry.below(prefix).matches(bytes(concept)))
            }
        }
    }

    @Test func errorsDescribeThemselvesOnOneLine() {
        let errors: [ConceptError] = [
            .empty, .tooLong(length: 300, limit: 256), .invalidByte(0x0A, offset: 2), .wildcardInConcept, .badWildcard,
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
            #expect(!error.description.contains("\n"))
        }
        #expect(ConceptError.invalidByte(0x0A, offset: 2).description.contains("0x0A"))
    }
}
