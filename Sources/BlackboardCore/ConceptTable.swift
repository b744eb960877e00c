// ConceptTable interns byte strings (concepts and hierarchy prefixes) as small
// integer ids and keeps one value per id next to the key's bookkeeping, so that
// the lookup index (its subscriber lists) and the concept filter (its entry
// kinds) need no second table, and the publish path does no String work.
//
// Layout. Open addressing with linear probing over a power-of-two bucket array
// that is kept at most half full. A bucket (8 bytes) holds an id and the high 32
// bits of the key's hash (its tag). The home bucket of a key is the top bits of
// its tag, so a bucket alone says where its key belongs: deletion and growth
// move buckets without touching keys, and most probes that miss never touch key
// bytes. Keys live back to back in one byte arena. `records[id]` says where and
// holds the id's value: finding a key loads its record, so the value comes free.
//
// Deletion is by backward shift, so there are no tombstones: after a bucket is
// emptied, the later buckets of its probe run move back into the hole unless that
// would put them before their home bucket. A lookup therefore stops at the first
// empty bucket, and churn never lengthens probes. The arena is compacted once more
// than half of it (and at least 64 KiB) is garbage, so memory stays proportional
// to the live keys.
//
// Lookups never insert. The index and the filter intern only keys of entries that
// are in some profile, so publishers sending random concepts cannot grow memory.
//
// Hash: eight bytes at a time, a running hash whose state after k words serves
// every prefix of at least 8k bytes (ConceptTable+Hashing.swift), so one pass
// over a concept hashes all of its dotted prefixes (ConceptTable+Matching.swift).
//
// Memory per live key: its bytes in the arena, one record (8 bytes plus the
// value: 24 bytes for the index) and two to four buckets (8 bytes each).
// Limits: 2^31 - 1 keys, 4 GiB of arena, 2^32 buckets.

/// Byte strings to dense `Int32` ids (-1 means absent), with one `Value` per id.
/// Ids of removed keys are reused; a removed id's value is stale until the id is
/// handed out again by ``insert(_:value:)``, which stores the new value.
struct ConceptTable<Value> {
    /// One slot of the open-addressing array: a key's id and tag, or empty.
    struct Bucket {
        /// The key's id, or -1 when the bucket is empty.
        var id: Int32
        /// The high 32 bits of the key's hash; its top bits are the home bucket.
        var tag: UInt32
    }

    /// One id's key location and value.
    struct Record {
        /// Where the key's bytes start in the arena.
        var start: UInt32
        /// The key's length, or `UInt32.max` when the id is free.
        var count: UInt32
        /// The id's value.
        var value: Value
    }

    private static var emptyBucket: Bucket { Bucket(id: -1, tag: 0) }
    private static var freeCount: UInt32 { .max }

    private var buckets = [Bucket](repeating: ConceptTable.emptyBucket, count: 8)
    /// 32 - log2(bucket count): a tag shifted right by this is its home bucket.
    private var homeShift: UInt32 = 29
    /// By id: where the key lies in the arena, and its value.
    private(set) var records: [Record] = []
    private var arena: [UInt8] = []
    private var garbageBytes = 0
    private var freeIDs: [Int32] = []
    /// The number of keys.
    private(set) var count = 0
    /// Where ``warm(_:scratch:)`` leaves what it loaded, so that the loads are not optimised away.
    private var warmSink: UInt64 = 0
    /// The hash's start state; see the file comment.
    let basis = conceptTableBasis

    init() {}

    // MARK: Lookup

    /// The id of `bytes`, or -1. No allocation.
    func find(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        find(bytes, hash: hash(bytes))
    }

    /// The id of `bytes`, whose hash (from ``hash(_:)``) is `hash`, or -1. No allocation.
    func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        buckets.withUnsafeBufferPointer { buckets in
            records.withUnsafeBufferPointer { records in
                arena.withUnsafeBytes { arena in
                    let mask = buckets.count - 1
                    let tag = UInt32(truncatingIfNeeded: hash &>> 32)
                    var position = Int(tag &>> homeShift)
                    while true {
                        let bucket = buckets[position]
                        if bucket.id < 0 { return -1 }
                        if bucket.tag == tag {
                            let record = records[Int(bucket.id)]
                            if Int(record.count) == bytes.count
                                && Self.equal(arena.baseAddress.unsafelyUnwrapped + Int(record.start), bytes)
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

    /// Brings into the cache what looking up keys with these hashes will read: the
    /// home bucket and, when its tag matches, the record and the start of the key.
    /// Three passes of loads that do not depend on each other within a pass, so the
    /// processor overlaps their cache misses; probing the keys one by one afterwards
    /// hits the cache. Worth it before a batch of lookups in a table larger than the
    /// cache (a profile change in a large store); changes nothing observable.
    /// `scratch` (as many as `hashes`) is overwritten. O(hashes).
    mutating func warm(_ hashes: UnsafeBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>) {
        precondition(scratch.count >= hashes.count)
        var sink: UInt64 = 0
        buckets.withUnsafeBufferPointer { buckets in
            records.withUnsafeBufferPointer { records in
                arena.withUnsafeBytes { arena in
                    if records.isEmpty || arena.isEmpty { return }
                    // No branch on what was loaded: a mispredicted branch would wait for
                    // the load and serialise the misses. A key that is not there reads
                    // record 0 (a select, not a jump).
                    for index in hashes.indices {
                        let tag = UInt32(truncatingIfNeeded: hashes[index] &>> 32)
                        let bucket = buckets[Int(tag &>> homeShift)]
                        // Arithmetic, so that the compiler emits no jump: 1 when the tags
                        // are equal and the bucket is full, else 0.
                        let id = UInt64(UInt32(bitPattern: bucket.id))
                        let sameTag = (UInt64(bucket.tag ^ tag) &- 1) &>> 63
                        let full = ~id &>> 31 & 1
                        scratch[index] = id & (0 &- (sameTag & full))
                    }
                    for index in hashes.indices {
                        scratch[index] = UInt64(min(Int(records[Int(scratch[index])].start), arena.count - 1))
                    }
                    for index in hashes.indices {
                        sink &+= UInt64(arena[Int(scratch[index])])
                    }
                }
            }
        }
        warmSink = sink
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

    /// The value of the live key `id`. O(1).
    @inline(__always)
    subscript(value id: Int32) -> Value {
        get { records[Int(id)].value }
        _modify { yield &records[Int(id)].value }
    }

    /// Calls `body` with the bytes of the key `id`, which must be live.
    func withKey<Result>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let record = records[Int(id)]
        precondition(record.count != Self.freeCount, "ConceptTable: id \(id) is not live")
        return arena.withUnsafeBytes {
            body(UnsafeRawBufferPointer(rebasing: $0[Int(record.start)..<(Int(record.start) + Int(record.count))]))
        }
    }

    /// Calls `body` with every live id, in id order.
    func forEachID(_ body: (Int32) -> Void) {
        for id in records.indices where records[id].count != Self.freeCount { body(Int32(id)) }
    }

    // MARK: Insertion and removal

    /// The id of `bytes`, interning it with `value` when absent (an existing key keeps
    /// its value). Amortised O(|bytes|).
    mutating func insert(_ bytes: UnsafeRawBufferPointer, value: @autoclosure () -> Value) -> (id: Int32, inserted: Bool) {
        insert(bytes, hash: hash(bytes), value: value())
    }

    /// ``insert(_:value:)`` for `bytes` whose hash (from ``hash(_:)``) is `hash`.
    mutating func insert(
        _ bytes: UnsafeRawBufferPointer, hash: UInt64, value: @autoclosure () -> Value
    ) -> (id: Int32, inserted: Bool) {
        let found = find(bytes, hash: hash)
        if found >= 0 { return (found, false) }
        precondition(arena.count + bytes.count <= Int(UInt32.max), "ConceptTable: arena full")
        if (count + 1) * 2 > buckets.count { grow() }
        let record = Record(start: UInt32(arena.count), count: UInt32(bytes.count), value: value())
        arena.append(contentsOf: bytes)
        let id: Int32
        if let free = freeIDs.popLast() {
            id = free
            records[Int(id)] = record
        } else {
            precondition(records.count < Int(Int32.max), "ConceptTable: too many keys")
            id = Int32(records.count)
            records.append(record)
        }
        place(id, tag: UInt32(truncatingIfNeeded: hash &>> 32))
        count += 1
        return (id, true)
    }

    /// Removes the live key `id`; the id becomes free for reuse (its value is left
    /// as it is, stale). Amortised O(key length): the key is hashed again to find
    /// its bucket.
    mutating func remove(_ id: Int32) {
        let record = records[Int(id)]
        precondition(record.count != Self.freeCount, "ConceptTable: id \(id) is not live")
        let mask = buckets.count - 1
        let tag = UInt32(truncatingIfNeeded: withKey(id) { hash($0) } &>> 32)
        var hole = Int(tag &>> homeShift)
        while buckets[hole].id != id { hole = (hole + 1) & mask }
        // Backward shift: the entry at `next` may fill the hole when the hole lies
        // cyclically within [home, next), i.e. when moving it keeps it reachable.
        var next = (hole + 1) & mask
        while buckets[next].id >= 0 {
            let home = Int(buckets[next].tag &>> homeShift)
            if (next &- home) & mask >= (next &- hole) & mask {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole] = Self.emptyBucket
        records[Int(id)].count = Self.freeCount
        freeIDs.append(id)
        count -= 1
        garbageBytes += Int(record.count)
        if garbageBytes >= Self.compactionFloor && garbageBytes * 2 > arena.count { compact() }
    }

    private mutating func place(_ id: Int32, tag: UInt32) {
        let mask = buckets.count - 1
        var position = Int(tag &>> homeShift)
        while buckets[position].id >= 0 { position = (position + 1) & mask }
        buckets[position] = Bucket(id: id, tag: tag)
    }

    private mutating func grow() {
        precondition(buckets.count < 1 << 32, "ConceptTable: too many buckets")
        let old = buckets
        buckets = [Bucket](repeating: Self.emptyBucket, count: old.count * 2)
        homeShift -= 1
        for bucket in old where bucket.id >= 0 {
            place(bucket.id, tag: bucket.tag)
        }
    }

    /// Garbage below this many bytes is never compacted away, so that a small table
    /// whose keys come and go does not copy its arena on every change.
    private static var compactionFloor: Int { 1 << 16 }

    /// Copies the live keys into a new arena, with room for half as many again.
    /// O(live bytes + ids); amortised over at least as many bytes of removed keys.
    private mutating func compact() {
        var packed: [UInt8] = []
        let live = arena.count - garbageBytes
        packed.reserveCapacity(live + max(live / 2, Self.compactionFloor))
        for id in records.indices where records[id].count != Self.freeCount {
            let start = Int(records[id].start)
            records[id].start = UInt32(packed.count)
            packed.append(contentsOf: arena[start..<(start + Int(records[id].count))])
        }
        arena = packed
        garbageBytes = 0
    }
}

extension ConceptTable: Sendable where Value: Sendable {}
extension ConceptTable.Bucket: Sendable {}
extension ConceptTable.Record: Sendable where Value: Sendable {}

/// The hash basis of every ConceptTable in this process (generic types cannot
/// have stored static properties).
private let conceptTableBasis = UInt64.random(in: .min ... .max)
