// The subscribers of one profile entry, as the lookup index stores them.
//
// Most entries have exactly one subscriber (a concept only one subscriber
// names; 2 in 3 of the concepts of the paper's workload), so that case is held
// inline: the whole list is 8 bytes and needs no block. Two or more subscribers
// live in a block of the index's SlotPool, in arbitrary order. A removal moves
// the list's last slot into the hole, so every operation is O(1) amortised, and
// the caller learns which slot moved and where to (the index keeps each slot's
// position in each of its lists, see SubscriberLookupIndex+Profiles.swift).
//
// Lists are plain integers, not arrays: no allocation per list, no reference
// counting when separation walks them, and copying the index copies no objects.

/// The slots subscribed to one entry: none, one inline, or a SlotPool block.
///
/// Invariants: a list never holds the same slot twice; with two or more slots,
/// `storage` is the offset of a pool block of capacity 2^capacityClass, and
/// count ≤ capacity. Limit: 2^27 - 1 subscribers per entry.
struct SlotList: Sendable {
    private static var countMask: UInt32 { (1 << 27) - 1 }
    private static var classShift: UInt32 { 27 }

    /// Bits 0..<27: the count; bits 27..<32: log2 of the block's capacity.
    private var bits: UInt32 = 0
    /// The only slot when the count is 1; the block's pool offset when it is 2 or more.
    private var storage: UInt32 = 0

    /// The empty list.
    static var none: SlotList { SlotList() }

    /// The number of slots. O(1).
    var count: Int { Int(bits & Self.countMask) }

    var isEmpty: Bool { bits & Self.countMask == 0 }

    private var capacityClass: UInt32 { bits &>> Self.classShift }

    private mutating func set(count: Int, capacityClass: UInt32) {
        precondition(count <= Int(Self.countMask), "SlotList: too many subscribers for one entry")
        bits = UInt32(count) | capacityClass &<< Self.classShift
    }

    /// The slot at `position`, which must be below ``count``.
    func slot(at position: UInt32, in pool: SlotPool) -> UInt32 {
        precondition(Int(position) < count, "SlotList: position out of range")
        return count == 1 ? storage : pool.slots[Int(storage &+ position)]
    }

    /// Calls `body` with the slots as one contiguous buffer (empty for no slots).
    /// `pool` is the base of the pool's slots. No allocation, no reference counting.
    @inline(__always)
    func withSlots<Result>(pool: UnsafePointer<UInt32>?, _ body: (UnsafeBufferPointer<UInt32>) -> Result) -> Result {
        let count = self.count
        if count >= 2 {
            return body(UnsafeBufferPointer(start: pool.unsafelyUnwrapped + Int(storage), count: count))
        }
        var single = storage
        return withUnsafePointer(to: &single) { body(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// The pool range of the list's block (offset ..< offset + capacity), or nil when
    /// the list has none (fewer than two slots).
    var block: Range<Int>? {
        count >= 2 ? Int(storage)..<(Int(storage) + (1 << Int(capacityClass))) : nil
    }

    /// The pool offset of the last slot when the list has a block, else 0: what
    /// appending and removing touch, for warming the cache. Computed without a jump.
    var lastBlockOffset: Int {
        let count = UInt64(bits & Self.countMask)
        let hasBlock = (1 &- count) &>> 63  // 1 when count >= 2
        return Int(truncatingIfNeeded: (UInt64(storage) &+ count &- 1) & (0 &- hasBlock))
    }

    /// Appends `slot`, which must not be in the list; returns its position. Amortised O(1):
    /// a full block moves to one twice its size.
    mutating func append(_ slot: UInt32, pool: inout SlotPool) -> UInt32 {
        let count = self.count
        switch count {
        case 0:
            storage = slot
            set(count: 1, capacityClass: 0)
        case 1:
            let block = pool.allocate(capacityClass: 1)
            pool.slots[Int(block)] = storage
            pool.slots[Int(block) + 1] = slot
            storage = block
            set(count: 2, capacityClass: 1)
        default:
            var capacityClass = self.capacityClass
            if count == 1 << Int(capacityClass) {
                storage = pool.move(storage, count: count, from: capacityClass, to: capacityClass + 1)
                capacityClass += 1
            }
            pool.slots[Int(storage) + count] = slot
            set(count: count + 1, capacityClass: capacityClass)
        }
        return UInt32(count)
    }

    /// Removes the slot at `position` by moving the last slot into its place.
    /// Returns the slot that moved (now at `position`), or nil when none did.
    /// Amortised O(1): a block a quarter full moves to one half its size, and a
    /// list down to one slot gives its block back.
    mutating func remove(at position: UInt32, pool: inout SlotPool) -> UInt32? {
        let count = self.count
        precondition(Int(position) < count, "SlotList: position out of range")
        if count == 1 {
            self = .none
            return nil
        }
        let capacityClass = self.capacityClass
        let last = pool.slots[Int(storage) + count - 1]
        let moved: UInt32? = Int(position) < count - 1 ? last : nil
        if count == 2 {
            // The one left (now at position 0) goes inline.
            let remaining = position == 0 ? last : pool.slots[Int(storage)]
            pool.release(storage, capacityClass: capacityClass)
            storage = remaining
            set(count: 1, capacityClass: 0)
            return moved
        }
        if moved != nil { pool.slots[Int(storage) + Int(position)] = last }
        let newCount = count - 1
        if capacityClass > 1 && newCount <= (1 << Int(capacityClass)) / 4 {
            storage = pool.move(storage, count: newCount, from: capacityClass, to: capacityClass - 1)
            set(count: newCount, capacityClass: capacityClass - 1)
        } else {
            set(count: newCount, capacityClass: capacityClass)
        }
        return moved
    }
}

/// The blocks of every list of two or more slots, in one array: a block of
/// capacity 2^k (k ≥ 1) starts at some offset; free blocks of each capacity form
/// a list threaded through their first word.
///
/// Invariants: live blocks do not overlap; every free block is on the free list of
/// its capacity exactly once. Memory: the peak of the live blocks of each capacity
/// (blocks are reused, the array does not shrink); every live list uses at least a
/// quarter of its block. Limit: 2^32 - 1 slots in all.
struct SlotPool: Sendable {
    /// The blocks.
    var slots: [UInt32] = []
    /// By capacity class: the offset of the first free block, or `UInt32.max`.
    private var freeBlocks = [UInt32](repeating: .max, count: 32)

    /// A block of capacity 2^capacityClass, reused when one is free. Amortised O(1).
    mutating func allocate(capacityClass: UInt32) -> UInt32 {
        let head = freeBlocks[Int(capacityClass)]
        if head != .max {
            freeBlocks[Int(capacityClass)] = slots[Int(head)]
            return head
        }
        let offset = slots.count
        precondition(offset + (1 << Int(capacityClass)) < Int(UInt32.max), "SlotPool: full")
        slots.append(contentsOf: repeatElement(0, count: 1 << Int(capacityClass)))
        return UInt32(offset)
    }

    /// Puts the block at `offset` on the free list of its capacity. O(1).
    mutating func release(_ offset: UInt32, capacityClass: UInt32) {
        slots[Int(offset)] = freeBlocks[Int(capacityClass)]
        freeBlocks[Int(capacityClass)] = offset
    }

    /// Moves the first `count` slots of a block to a new block of another capacity,
    /// releasing the old one; returns the new offset. O(count).
    mutating func move(_ offset: UInt32, count: Int, from oldClass: UInt32, to newClass: UInt32) -> UInt32 {
        let target = allocate(capacityClass: newClass)
        slots.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress.unsafelyUnwrapped
            (base + Int(target)).update(from: base + Int(offset), count: count)
        }
        release(offset, capacityClass: oldClass)
        return target
    }
}
