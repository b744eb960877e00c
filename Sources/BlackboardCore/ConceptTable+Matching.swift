// The one-pass walk that finds, for a published concept, every interned key an
// entry could select it by: its dotted prefixes (for `prefix.>` entries) and the
// concept itself (for exact entries). Shared by the lookup index and the filter.

extension ConceptTable {
    /// Calls `body(id, isExact)` for the interned keys that select `concept`.
    ///
    /// When `prefixes` is set, first every interned proper prefix P of the concept
    /// that is followed by a dot and at least one more byte — the rule of
    /// ``Concept/forEachPrefixLength(of:_:)``, i.e. exactly the P whose `P.>` matches
    /// the concept — shortest first, with `isExact` false. Then, when `exact` is set,
    /// the concept itself, with `isExact` true. Stops as soon as `body` returns false.
    ///
    /// Cost: one pass over the concept a word (8 bytes) at a time: the running hash
    /// state before the word holding a dot, plus that word's bytes before the dot,
    /// is the hash of the prefix (see ``hash(_:)``); dots are found in a word at
    /// once. One probe per such dot and one for the concept. No allocation, no
    /// String work.
    @inline(__always)
    func forEachKey(
        selecting concept: UnsafeRawBufferPointer,
        prefixes: Bool,
        exact: Bool,
        _ body: (_ id: Int32, _ isExact: Bool) -> Bool
    ) {
        let count = concept.count
        if count == 0 || self.count == 0 || !(prefixes || exact) { return }
        var state = basis
        var offset = 0
        var tail: UInt64 = 0
        let lookForDots = prefixes && count >= 3
        while offset < count {
            let whole = offset &+ 8 <= count
            let word = whole ? Self.word(concept, at: offset) : Self.tail(concept, from: offset)
            if lookForDots {
                var dots = Self.dotBytes(word)
                while dots != 0 {
                    let byte = dots.trailingZeroBitCount &>> 3
                    dots &= dots &- 1
                    let length = offset &+ byte
                    // The dot must have a byte before it and one after it.
                    if length < 1 || length >= count &- 1 { continue }
                    let before = byte == 0 ? 0 : word & (UInt64.max &>> UInt64(64 &- 8 &* byte))
                    let prefix = UnsafeRawBufferPointer(rebasing: concept[..<length])
                    let id = find(prefix, hash: Self.finish(state, tail: before, length: length))
                    if id >= 0 && !body(id, false) { return }
                }
            }
            if whole {
                state = Self.mix(state, word)
            } else {
                tail = word
            }
            offset &+= 8
        }
        if exact {
            let id = find(concept, hash: Self.finish(state, tail: tail, length: count))
            if id >= 0 { _ = body(id, true) }
        }
    }

    /// The top bit of every byte of `word` that is a dot, and nothing else
    /// (exact, unlike the shorter has-zero-byte trick, which can flag bytes above
    /// a match). Padding bytes are 0, never dots.
    @inline(__always)
    static func dotBytes(_ word: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let x = word ^ 0x2E2E_2E2E_2E2E_2E2E  // a dot becomes a zero byte
        let nonZero = ((x & low7) &+ low7) | x  // top bit set in every non-zero byte
        return ~(nonZero | low7)
    }
}
