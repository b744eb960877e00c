import BlackboardTestSupport
@testable import BlackboardCore
import Testing

/// The interning table's one-pass prefix walk against the definition: for
/// concepts of every length around the 8-byte word size, with dots at every
/// position (first, last, adjacent), the walk must yield exactly the interned
/// prefixes P for which `P.>` matches, shortest first, then the concept itself.
@Suite("ConceptTable")
struct ConceptTableTests {
    @Test(arguments: [11, 12, 13] as [UInt64])
    func prefixWalkFindsExactlyTheMatchingPrefixes(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let alphabet = Array("ab.:/#_xyz09".utf8)
        var concepts: [[UInt8]] = []
        for length in 1...40 {
            for _ in 0..<6 {
                concepts.append((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            }
        }
        var table = ConceptTable<Int>()
        var ids: [[UInt8]: Int32] = [:]
        // Intern every concept and every prefix before each of its dots, plus some strangers.
        for concept in concepts {
            for end in 0...concept.count where end == concept.count || concept[end] == UInt8(ascii: ".") {
                let key = Array(concept[..<end])
                if key.isEmpty { continue }
                ids[key] = key.withUnsafeBytes { table.insert($0, value: key.count).id }
            }
        }
        for concept in concepts {
            var expected: [(Int32, Bool)] = []
            concept.withUnsafeBytes { raw in
                Concept.forEachPrefixLength(of: raw) { length in
                    if let id = ids[Array(concept[..<length])] { expected.append((id, false)) }
                }
            }
            if let id = ids[concept] { expected.append((id, true)) }
            var actual: [(Int32, Bool)] = []
            concept.withUnsafeBytes { raw in
                table.forEachKey(selecting: raw, prefixes: true, exact: true) { id, isExact in
                    actual.append((id, isExact))
                    return true
                }
            }
            try #require(actual.map(\.0) == expected.map(\.0) && actual.map(\.1) == expected.map(\.1),
                         "\(String(decoding: concept, as: UTF8.self))")
            // A prefix found by the walk has the hash of its bytes alone.
            try concept.withUnsafeBytes { raw in
                try #require(table.find(raw) == (ids[concept] ?? -1))
            }
        }
    }

    @Test func hashDependsOnEveryByteAndTheLength() {
        let table = ConceptTable<Int>()
        var seen = Set<UInt64>()
        var keys: [[UInt8]] = [[]]
        for length in 1...24 {
            keys.append(Array(repeating: UInt8(ascii: "a"), count: length))
            keys.append(Array(repeating: UInt8(ascii: "a"), count: length - 1) + [UInt8(ascii: "b")])
        }
        for key in keys { seen.insert(key.withUnsafeBytes { table.hash($0) }) }
        #expect(seen.count == keys.count)
    }
}
