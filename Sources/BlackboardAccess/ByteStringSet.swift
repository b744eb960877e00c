/// A set of byte strings that answers membership for bytes in place (a slice of
/// a message's storage) without copying them into an array: the publish path's
/// permission check runs once per pair and must not allocate.
///
/// Buckets are keyed by the process-seeded `Hasher` of the bytes; members of a
/// bucket are compared byte for byte.
struct ByteStringSet: Equatable, Sendable {
    private var buckets: [Int: [[UInt8]]] = [:]
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Every member, in no particular order.
    var members: [[UInt8]] { buckets.values.flatMap { $0 } }

    mutating func insert(_ bytes: [UInt8]) {
        let key = bytes.withUnsafeBytes { Self.hash($0) }
        if buckets[key, default: []].contains(bytes) { return }
        buckets[key, default: []].append(bytes)
        count += 1
    }

    mutating func formUnion(_ other: ByteStringSet) {
        for member in other.members { insert(member) }
    }

    func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !isEmpty, let bucket = buckets[Self.hash(bytes)] else { return false }
        return bucket.contains { $0.elementsEqual(bytes) }
    }

    func contains(where predicate: ([UInt8]) -> Bool) -> Bool {
        buckets.values.contains { $0.contains(where: predicate) }
    }

    func contains(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { contains($0) }
    }

    static func == (lhs: ByteStringSet, rhs: ByteStringSet) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { rhs.contains($0) }
    }

    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }
}
