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
    /// Cost: one pass over the bytes (the running FNV state at a dot is the hash of
    /// the prefix before it) plus one probe per such dot and one for the concept.
    /// No allocation, no String work.
    @inline(__always)
    func forEachKey(
        selecting concept: UnsafeRawBufferPointer,
        prefixes: Bool,
        exact: Bool,
        _ body: (_ id: Int32, _ isExact: Bool) -> Bool
    ) {
        let dot = UInt8(ascii: ".")
        let count = concept.count
        if count == 0 || self.count == 0 || !(prefixes || exact) { return }
        var state = basis
        if prefixes && count >= 3 {
            for offset in 0..<count {
                let byte = concept[offset]
                if byte == dot && offset >= 1 && offset < count - 1 {
                    let prefix = UnsafeRawBufferPointer(rebasing: concept[..<offset])
                    let id = find(prefix, hash: Self.finish(state))
                    if id >= 0 && !body(id, false) { return }
                }
                state = Self.step(state, byte)
            }
        } else if exact {
            for byte in concept { state = Self.step(state, byte) }
        }
        if exact {
            let id = find(concept, hash: Self.finish(state))
            if id >= 0 { _ = body(id, true) }
        }
    }
}
