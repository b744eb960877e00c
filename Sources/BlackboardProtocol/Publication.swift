import BlackboardCore

/// One published message: the pairs' bytes in `storage`, located by `pairs`.
///
/// A publication that ``CommandDecoder`` returns shares the decoder's receive
/// buffer as its `storage` (arrays are copy-on-write), so `storage` may hold
/// bytes of other frames around the pairs and `pairs` are offsets into it.
/// Decoding then costs no allocation per message, provided the caller drops
/// the publication before it appends to the decoder or asks it for the next
/// command; a publication kept longer stays valid, and the decoder copies its
/// buffer the next time it needs to change it.
public struct Publication: Equatable, Sendable {
    /// The bytes the spans point into.
    public var storage: [UInt8]
    /// Where each pair's concept and value lie in `storage`, in publication order.
    public var pairs: [PairSpan]

    /// A publication over existing storage; every span must lie inside `storage`.
    public init(storage: [UInt8], pairs: [PairSpan]) {
        self.storage = storage
        self.pairs = pairs
    }

    /// Builds the storage from owned pairs (client side).
    public init(pairs: [(concept: String, value: [UInt8])]) {
        var storage: [UInt8] = []
        var spans: [PairSpan] = []
        spans.reserveCapacity(pairs.count)
        storage.reserveCapacity(pairs.reduce(0) { $0 + $1.concept.utf8.count + $1.value.count })
        for pair in pairs {
            let conceptStart = storage.count
            storage.append(contentsOf: pair.concept.utf8)
            let valueStart = storage.count
            storage.append(contentsOf: pair.value)
            spans.append(PairSpan(concept: conceptStart..<valueStart, value: valueStart..<storage.count))
        }
        self.init(storage: storage, pairs: spans)
    }

    /// The number of pairs.
    public var count: Int { pairs.count }

    /// The concept bytes of pair `index`.
    public func concept(at index: Int) -> ArraySlice<UInt8> { storage[pairs[index].concept] }

    /// The value bytes of pair `index`.
    public func value(at index: Int) -> ArraySlice<UInt8> { storage[pairs[index].value] }

    /// Equal when the pairs have the same bytes in the same order, wherever
    /// they lie in the storage.
    public static func == (lhs: Publication, rhs: Publication) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        for index in lhs.pairs.indices
        where lhs.concept(at: index) != rhs.concept(at: index) || lhs.value(at: index) != rhs.value(at: index) {
            return false
        }
        return true
    }
}
