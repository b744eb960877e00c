import BlackboardTestSupport
@testable import BlackboardCore
import Testing

/// Random entries whose wire forms share long prefixes, end at and around word
/// boundaries, and contain the suffix bytes (`.`, `>`) in their concepts.
private func randomEntries(_ count: Int, _ random: inout SplitMix64) -> [ProfileEntry] {
    let segments = ["a", "b", "ab", ">", "a>", "wf:Started", "http://example.org/onto#Temp", "1234567", "12345678", "x.y"]
    return (0..<count).map { _ in
        let concept = (0...Int.random(in: 0...3, using: &random))
            .map { _ in segments.randomElement(using: &random)! }.joined(separator: ".")
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return .all
        case 1...4:
            // A concept may not end in `.>` or be `>`; such a draw becomes a hierarchy entry.
            return (try? ProfileEntry(concept)) ?? .below("z")
        default:
            return (try? ProfileEntry(concept + ".>")) ?? .below("a")
        }
    }
}

@Suite("Entry order")
struct EntryOrderTests {
    /// `<` (and the comparator under it) is exactly the byte order of the wire forms.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func comparatorIsWireByteOrder(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let entries = randomEntries(150, &random) + [.all, .below("a"), .exact("a"), .exact("a."), .exact("a.>b")]
        for lhs in entries {
            for rhs in entries {
                let expected = lhs.wireBytes.lexicographicallyPrecedes(rhs.wireBytes)
                try #require((lhs < rhs) == expected, "\(lhs) < \(rhs)")
                let order = ProfileEntry.wireOrder(lhs, rhs)
                try #require((order < 0) == expected && (order == 0) == (lhs.wireBytes == rhs.wireBytes), "\(lhs) vs \(rhs)")
            }
        }
    }

    /// The multikey sort used for deltas and listings equals sorting by wire bytes,
    /// duplicates included, for small and large inputs.
    @Test(arguments: [(4, 1), (13, 2), (100, 3), (3000, 4)] as [(Int, UInt64)])
    func sortByWireSortsByWireBytes(count: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var entries = randomEntries(count, &random)
        entries += entries.prefix(count / 4)  // duplicates
        entries.shuffle(using: &random)
        let expected = entries.sorted { $0.wireBytes.lexicographicallyPrecedes($1.wireBytes) }
        ProfileEntry.sortByWire(&entries)
        #expect(entries.map(\.wireBytes) == expected.map(\.wireBytes))
        #expect(entries == expected)
    }

    @Test func equalEntriesHashEqually() {
        var random = SplitMix64(seed: 9)
        let entries = randomEntries(300, &random)
        for entry in entries {
            let copy = try! ProfileEntry(parsing: entry.wireBytes)
            #expect(copy == entry && copy.hashValue == entry.hashValue)
        }
        #expect(Set(entries).count == Set(entries.map(\.text)).count)
    }
}
