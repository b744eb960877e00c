// Sorting many entries by wire form, fast: the deltas of the aggregate profile
// (PROTOCOL.md: each group of a DELTA sorted) and the listings of the union.
//
// `entries.sort()` would compare whole entries O(n log n) times, and real
// concept names share long prefixes (`http://example.org/onto#...`,
// `notebook.experiment.run12.`), so each comparison walks the same bytes again.
// Instead, every entry's wire form is packed once into big-endian 64-bit words,
// zero-padded (wire bytes are printable ASCII, never 0, so a word past an entry's
// end sorts below every real word, as a prefix sorts before its extensions), and
// the keys are sorted by multikey quicksort (Bentley and Sedgewick, 1997): a
// three-way partition on one word at a time, where the equal part moves on to the
// next word. Cost: O(n log n) single-word comparisons plus O(total length / 8)
// for shared prefixes; nothing is retained or released (the entries are moved
// once, at the end), and the scratch is the caller's, reused. Recursion: the
// smaller parts recurse and the largest part loops, so the depth is at most
// log2(n) plus the longest entry in words.

extension ProfileEntry {
    /// Ranges at most this long are finished by insertion sort.
    private static var insertionSortLimit: Int { 12 }

    /// Scratch above this many words is given back after a sort.
    private static var retainedScratchWords: Int { 1 << 16 }

    /// Sorts `entries` by wire form; the same order as `entries.sort()`.
    /// O(n log n) word comparisons plus a pass over the bytes; one scratch allocation.
    static func sortByWire(_ entries: inout [ProfileEntry]) {
        var scratch: [UInt64] = []
        sortByWire(&entries, scratch: &scratch)
    }

    /// ``sortByWire(_:)`` with caller-owned scratch, which keeps its capacity between
    /// calls (up to 512 KiB), so that a steady stream of deltas allocates nothing here.
    ///
    /// Scratch layout, all words: one key per entry (word offset << 32 | entry index),
    /// then per entry its word count followed by its packed words. The entries are
    /// put in order by following the permutation's cycles, moving each entry once.
    static func sortByWire(_ entries: inout [ProfileEntry], scratch: inout [UInt64]) {
        let count = entries.count
        if count < 2 { return }
        precondition(count < Int(Int32.max), "sortByWire: too many entries")
        entries.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress.unsafelyUnwrapped
            var needed = count
            for index in 0..<count { needed += 1 + wordCount(base + index) }
            // Offsets stay below 2^31, so a key's top bit is free to mark it done.
            precondition(needed < Int(Int32.max), "sortByWire: entries too long")
            if scratch.count < needed {
                scratch = [UInt64](repeating: 0, count: max(needed, scratch.count * 2))
            }
            scratch.withUnsafeMutableBufferPointer { scratch in
                let space = scratch.baseAddress.unsafelyUnwrapped
                let keys = UnsafeMutableBufferPointer(start: space, count: count)
                let words = UnsafePointer(space)
                var next = count
                for index in 0..<count {
                    let wordCount = pack(base + index, into: space + next + 1)
                    space[next] = UInt64(wordCount)
                    keys[index] = UInt64(next + 1) << 32 | UInt64(index)
                    next += 1 + wordCount
                }
                multikeySort(keys, words, 0, count, 0)
                // keys[p] names the entry that belongs at p. Follow each cycle of that
                // permutation once, marking finished positions with the top bit.
                let done: UInt64 = 1 << 63
                for first in 0..<count where keys[first] & done == 0 {
                    let held = (base + first).move()
                    var position = first
                    while true {
                        let source = Int(truncatingIfNeeded: keys[position] & 0xFFFF_FFFF)
                        keys[position] |= done
                        if source == first {
                            (base + position).initialize(to: held)
                            break
                        }
                        (base + position).initialize(to: (base + source).move())
                        position = source
                    }
                }
            }
        }
        if scratch.count > retainedScratchWords { scratch = [] }
    }

    /// The number of bytes the wire form adds to the stored bytes.
    @inline(__always)
    private static func suffixCount(_ kind: Kind) -> Int {
        kind == .exact ? 0 : (kind == .below ? 2 : 1)
    }

    /// The number of words the wire form of the entry at `entry` packs into.
    @inline(__always)
    private static func wordCount(_ entry: UnsafePointer<ProfileEntry>) -> Int {
        (entry.pointee.bytes.count + suffixCount(entry.pointee.kind) + 7) &>> 3
    }

    /// Packs the wire form of the entry at `entry` into big-endian words at `words`,
    /// the last one zero-padded; returns the number of words.
    @inline(__always)
    private static func pack(_ entry: UnsafePointer<ProfileEntry>, into words: UnsafeMutablePointer<UInt64>) -> Int {
        let kind = entry.pointee.kind
        return entry.pointee.bytes.withUnsafeBytes { bytes in
            let count = bytes.count
            let fullWords = count &>> 3
            for word in 0..<fullWords {
                words[word] = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: word &<< 3, as: UInt64.self))
            }
            // The last 0-7 stored bytes, then the kind's suffix (`.>` or `>`): at most
            // 9 bytes, assembled big-endian in two words.
            let remainder = count &- (fullWords &<< 3)
            var high: UInt64 = 0
            var low: UInt64 = 0
            if remainder > 0 {
                if count >= 8 {
                    // The 8 bytes that end the key; keep the last `remainder` of them, on top.
                    let last = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
                    high = last &<< UInt64(64 &- 8 &* remainder)
                } else {
                    var shift: UInt64 = 56
                    for offset in 0..<count {
                        high |= UInt64(bytes[offset]) &<< shift
                        shift &-= 8
                    }
                }
            }
            let suffix: UInt64 = kind == .below ? 0x2E3E : (kind == .all ? 0x3E : 0)  // ".>" or ">"
            let suffixBytes = suffixCount(kind)
            if suffixBytes > 0 {
                // Place the suffix right after the tail: it may straddle into `low`.
                let bitsLeft = 64 &- 8 &* remainder  // free bits at the bottom of `high`
                let suffixBits = suffixBytes &* 8
                if suffixBits <= bitsLeft {
                    high |= suffix &<< UInt64(bitsLeft &- suffixBits)
                } else {
                    high |= suffix &>> UInt64(suffixBits &- bitsLeft)
                    low = suffix &<< UInt64(64 &- (suffixBits &- bitsLeft))
                }
            }
            let total = (count &+ suffixBytes &+ 7) &>> 3
            if total > fullWords { words[fullWords] = high }
            if total > fullWords &+ 1 { words[fullWords &+ 1] = low }
            return total
        }
    }

    /// The word of `key` at `depth`, or 0 past its end. A key's word count is the
    /// word before its first word.
    @inline(__always)
    private static func word(_ key: UInt64, _ depth: Int32, _ words: UnsafePointer<UInt64>) -> UInt64 {
        let start = Int(truncatingIfNeeded: key &>> 32)
        return UInt64(depth) < words[start &- 1] ? words[start &+ Int(depth)] : 0
    }

    /// Sorts `keys[low..<high]`, which agree on every word before `depth`.
    private static func multikeySort(
        _ keys: UnsafeMutableBufferPointer<UInt64>, _ words: UnsafePointer<UInt64>,
        _ low: Int, _ high: Int, _ depth: Int32
    ) {
        var low = low
        var high = high
        var depth = depth
        while high - low > insertionSortLimit {
            // Median of three as the pivot word.
            let a = word(keys[low], depth, words)
            let b = word(keys[(low + high) / 2], depth, words)
            let c = word(keys[high - 1], depth, words)
            let pivot = max(min(a, b), min(max(a, b), c))
            // Three-way partition (Dijkstra): [low, less) < pivot, [less, index) ==, (greater, high) >.
            var less = low
            var index = low
            var greater = high - 1
            while index <= greater {
                let current = word(keys[index], depth, words)
                if current < pivot {
                    keys.swapAt(less, index)
                    less += 1
                    index += 1
                } else if current > pivot {
                    keys.swapAt(index, greater)
                    greater -= 1
                } else {
                    index += 1
                }
            }
            // Three parts: recurse into the two smaller ones, loop on the largest. An
            // equal part whose pivot is 0 holds entries that all ended: equal, done.
            let lessCount = less - low
            let equalCount = greater + 1 - less
            let greaterCount = high - (greater + 1)
            let equalDone = pivot == 0
            if lessCount >= equalCount && lessCount >= greaterCount {
                if !equalDone { multikeySort(keys, words, less, greater + 1, depth + 1) }
                multikeySort(keys, words, greater + 1, high, depth)
                high = less
            } else if greaterCount >= equalCount {
                if !equalDone { multikeySort(keys, words, less, greater + 1, depth + 1) }
                multikeySort(keys, words, low, less, depth)
                low = greater + 1
            } else {
                multikeySort(keys, words, low, less, depth)
                multikeySort(keys, words, greater + 1, high, depth)
                if equalDone { return }
                low = less
                high = greater + 1
                depth += 1
            }
        }
        insertionSort(keys, words, low, high, depth)
    }

    /// Insertion sort of `keys[low..<high]`, which agree on every word before `depth`.
    /// Words the whole range shares are skipped first, so that comparisons start
    /// where the keys differ.
    private static func insertionSort(
        _ keys: UnsafeMutableBufferPointer<UInt64>, _ words: UnsafePointer<UInt64>,
        _ low: Int, _ high: Int, _ depth: Int32
    ) {
        if high - low < 2 { return }
        var depth = depth
        shared: while true {
            let first = word(keys[low], depth, words)
            if first == 0 { break }
            for index in (low + 1)..<high where word(keys[index], depth, words) != first { break shared }
            depth += 1
        }
        for sorted in (low + 1)..<high {
            let key = keys[sorted]
            var position = sorted
            while position > low && precedes(key, keys[position - 1], words, depth) {
                keys[position] = keys[position - 1]
                position -= 1
            }
            keys[position] = key
        }
    }

    /// Whether `lhs` sorts before `rhs`, comparing words from `depth` on.
    @inline(__always)
    private static func precedes(_ lhs: UInt64, _ rhs: UInt64, _ words: UnsafePointer<UInt64>, _ depth: Int32) -> Bool {
        var depth = depth
        while true {
            let a = word(lhs, depth, words)
            let b = word(rhs, depth, words)
            if a != b { return a < b }
            if a == 0 { return false }
            depth += 1
        }
    }
}
