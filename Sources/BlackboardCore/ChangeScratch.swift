// Working memory for changing profiles (SubscriberLookupIndex+Profiles.swift) and
// sorting deltas: kept between changes with its capacity, so a steady stream of
// subscribes and unsubscribes allocates nothing here. A large change grows it;
// afterwards, anything above `retainedWords` is given back.

/// Reusable buffers for one profile change at a time. Invariant between changes:
/// the contents are meaningless; only the capacity is kept.
struct ChangeScratch: Sendable {
    /// Words above this (512 KiB) are not kept after a change.
    static var retainedWords: Int { 1 << 16 }

    /// Entry ids of the entries being changed, as id << 32 | index.
    var ids: [UInt64] = []
    /// The radix sort's second buffer; also the table's warm-up scratch.
    var spare: [UInt64] = []
    /// The radix sort's digit counts.
    var counts = [UInt32](repeating: 0, count: 256)

    /// Makes `ids` and `spare` hold at least `count` words.
    mutating func reserve(_ count: Int) {
        if ids.count < count { ids = [UInt64](repeating: 0, count: max(count, 2 * ids.count)) }
        if spare.count < count { spare = [UInt64](repeating: 0, count: max(count, 2 * spare.count)) }
    }

    /// Gives back buffers a large change grew past `retainedWords`.
    mutating func trim() {
        if ids.count > Self.retainedWords { ids = [] }
        if spare.count > Self.retainedWords { spare = [] }
    }

    /// Sorts `elements` by their high 32 bits (the entry id); the low 32 bits ride
    /// along. Insertion sort up to 32 elements; above, an LSD radix sort a byte at a
    /// time that skips bytes every element shares (ids are dense, so their high bytes
    /// usually agree). O(n) per pass, at most 4 passes, no comparisons to mispredict.
    /// `spare` must hold at least as many elements; `counts` 256.
    static func sortByID(
        _ elements: UnsafeMutableBufferPointer<UInt64>, spare: UnsafeMutableBufferPointer<UInt64>,
        counts: UnsafeMutableBufferPointer<UInt32>
    ) {
        let count = elements.count
        if count <= 32 {
            if count < 2 { return }
            for sorted in 1..<count {
                let element = elements[sorted]
                var position = sorted
                while position > 0 && elements[position - 1] >> 32 > element >> 32 {
                    elements[position] = elements[position - 1]
                    position -= 1
                }
                elements[position] = element
            }
            return
        }
        var source = elements.baseAddress.unsafelyUnwrapped
        var target = spare.baseAddress.unsafelyUnwrapped
        for shift in stride(from: UInt64(32), to: 64, by: 8) {
            counts.update(repeating: 0)
            for index in 0..<count { counts[Int(truncatingIfNeeded: source[index] &>> shift) & 0xFF] &+= 1 }
            // A byte every element shares leaves the order as it is.
            if counts[Int(truncatingIfNeeded: source[0] &>> shift) & 0xFF] == UInt32(count) { continue }
            var total: UInt32 = 0
            for digit in 0..<256 {
                let digitCount = counts[digit]
                counts[digit] = total
                total &+= digitCount
            }
            for index in 0..<count {
                let element = source[index]
                let digit = Int(truncatingIfNeeded: element &>> shift) & 0xFF
                target[Int(counts[digit])] = element
                counts[digit] &+= 1
            }
            swap(&source, &target)
        }
        if source != elements.baseAddress.unsafelyUnwrapped {
            elements.baseAddress.unsafelyUnwrapped.update(from: source, count: count)
        }
    }
}
