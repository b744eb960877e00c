// ConceptTable interns byte strings (concepts and hierarchy prefixes) as small
// integer ids, so that the lookup index and the concept filter keep their
// per-concept data in flat arrays and the publish path does no String work.
//
// Layout. Open addressing with linear probing over a power-of-two bucket array
// that is kept at most half full. A bucket holds an id and 32 bits of the key's
// hash, so most probes that miss never touch key bytes. Keys live back to back in
// one byte arena; `keys[id]` says where, and keeps the full hash, which deletion
// and growth need to find a key's home bucket.
//
// Deletion is by backward shift, so there are no tombstones: after a bucket is
// emptied, the later buckets of its probe run move back into the hole unless that
// would put them before their home bucket. A lookup therefore stops at the first
// empty bucket, and churn never lengthens probes. The arena is compacted once more
// than half of it is garbage, so memory stays proportional to the live keys.
//
// Lookups never insert. The index and the filter intern only keys of entries that
// are in some profile, so publishers sending random concepts cannot grow memory.
//
// Hash. FNV-1a over the bytes from a per-process random basis, then a 64-bit
// finaliser. FNV-1a is a running hash: its state after the first n bytes of a
// concept is the state for the n-byte prefix, so one pass over a concept hashes
// all of its dotted prefixes (see ConceptTable+Matching.swift). The random basis
// only makes collisions harder to plan; it is not a keyed hash.

/// Byte strings to dense `Int32` ids (-1 means absent). Ids of removed keys are reused.
struct ConceptTable: Sendable {
    private struct Bucket {
        /// The key's id, or -1 when the bucket is empty.
        var id: Int32
        /// The high 32 bits of the key's hash.
        var tag: UInt32
    }

    private struct Key {
        var start: Int
        /// The key's length, or -1 when the id is free.
        var count: Int
        var hash: UInt64
    }

    private static let emptyBucket = Bucket(id: -1, tag: 0)
    private static let processBasis = 0xCBF2_9CE4_8422_2325 ^ UInt64.random(in: .min ... .max)

    private var buckets = [Bucket](repeating: ConceptTable.emptyBucket, count: 8)
    private var keys: [Key] = []
    private var arena: [UInt8] = []
    private var garbageBytes = 0
    private var freeIDs: [Int32] = []
    /// The number of keys.
    private(set) var count = 0
    /// The FNV-1a start state; see the file comment.
    let basis = ConceptTable.processBasis

    init() {}

    // MARK: Hashing

    @inline(__always)
    static func step(_ state: UInt64, _ byte: UInt8) -> UInt64 {
        (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// Spreads FNV's weak low bits over the whole word (the murmur3 finaliser).
    @inline(__always)
    static func finish(_ state: UInt64) -> UInt64 {
        var x = state
        x ^= x &>> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x &>> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x &>> 33
        return x
    }

    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = basis
        for byte in bytes { state = Self.step(state, byte) }
        return Self.finish(state)
    }

    // MARK: Lookup

    /// The id of `bytes`, or -1. No allocation.
    func find(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        find(bytes, hash: hash(bytes))
    }

    /// The id of `bytes`, whose hash (from ``hash(_:)``) is `hash`, or -1. No allocation.
    func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        buckets.withUnsafeBufferPointer { buckets in
            keys.withUnsafeBufferPointer { keys in
                arena.withUnsafeBytes { arena in
                    let mask = buckets.count - 1
                    let tag = UInt32(truncatingIfNeeded: hash &>> 32)
                    var position = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let bucket = buckets[position]
                        if bucket.id < 0 { return -1 }
                        if bucket.tag == tag {
                            let key = keys[Int(bucket.id)]
                            if key.count == bytes.count
                                && Self.equal(arena.baseAddress.unsafelyUnwrapped + key.start, bytes)
                            {
                                return bucket.id
                            }
                        }
                        position = (position &+ 1) & mask
                    }
                }
            }
        }
    }

    /// Compares `bytes.count` bytes at `stored` with `bytes`, a word at a time.
    @inline(__always)
    private static func equal(_ stored: UnsafeRawPointer, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard let other = bytes.baseAddress else { return true }
        var offset = 0
        while offset &+ 8 <= count {
            if stored.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != other.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset &+= 8
        }
        while offset < count {
            if stored.load(fromByteOffset: offset, as: UInt8.self) != other.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
            offset &+= 1
        }
        return true
    }

    /// Calls `body` with the bytes of the key `id`, which must be live.
    func withKey<Result>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let key = keys[Int(id)]
        precondition(key.count >= 0, "ConceptTable: id \(id) is not live")
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[key.start..<(key.start + key.count)])) }
    }

    /// Calls `body` with every live id, in id order.
    func forEachID(_ body: (Int32) -> Void) {
        for id in keys.indices where keys[id].count >= 0 { body(Int32(id)) }
    }

    // MARK: Insertion and removal

    /// The id of `bytes`, interning it when absent. Amortised O(|bytes|).
    mutating func insert(_ bytes: UnsafeRawBufferPointer) -> (id: Int32, inserted: Bool) {
        let hash = self.hash(bytes)
        let found = find(bytes, hash: hash)
        if found >= 0 { return (found, false) }
        if (count + 1) * 2 > buckets.count { grow() }
        let key = Key(start: arena.count, count: bytes.count, hash: hash)
        arena.append(contentsOf: bytes)
        let id: Int32
        if let free = freeIDs.popLast() {
            id = free
            keys[Int(id)] = key
        } else {
            precondition(keys.count < Int(Int32.max), "ConceptTable: too many keys")
            id = Int32(keys.count)
            keys.append(key)
        }
        place(id, hash: hash)
        count += 1
        return (id, true)
    }

    /// Removes the live key `id`; the id becomes free for reuse. Amortised O(1 + key length).
    mutating func remove(_ id: Int32) {
        let key = keys[Int(id)]
        precondition(key.count >= 0, "ConceptTable: id \(id) is not live")
        let mask = buckets.count - 1
        var hole = Int(truncatingIfNeeded: key.hash) & mask
        while buckets[hole].id != id { hole = (hole + 1) & mask }
        // Backward shift: the entry at `next` may fill the hole when the hole lies
        // cyclically within [home, next), i.e. when moving it keeps it reachable.
        var next = (hole + 1) & mask
        while buckets[next].id >= 0 {
            let home = Int(truncatingIfNeeded: keys[Int(buckets[next].id)].hash) & mask
            if (next &- home) & mask >= (next &- hole) & mask {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole] = Self.emptyBucket
        keys[Int(id)].count = -1
        freeIDs.append(id)
        count -= 1
        garbageBytes += key.count
        if garbageBytes > 1024 && garbageBytes * 2 > arena.count { compact() }
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = buckets.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while buckets[position].id >= 0 { position = (position + 1) & mask }
        buckets[position] = Bucket(id: id, tag: UInt32(truncatingIfNeeded: hash &>> 32))
    }

    private mutating func grow() {
        let old = buckets
        buckets = [Bucket](repeating: Self.emptyBucket, count: old.count * 2)
        for bucket in old where bucket.id >= 0 {
            place(bucket.id, hash: keys[Int(bucket.id)].hash)
        }
    }

    private mutating func compact() {
        var packed: [UInt8] = []
        packed.reserveCapacity(arena.count - garbageBytes)
        for id in keys.indices where keys[id].count >= 0 {
            let start = keys[id].start
            packed.append(contentsOf: arena[start..<(start + keys[id].count)])
            keys[id].start = packed.count - keys[id].count
        }
        arena = packed
        garbageBytes = 0
    }
}
