// Rebuilding entries from the keys the index and the filter intern them under.

extension ProfileEntry {
    /// Rebuilds an entry from the key it was interned under (a concept or a prefix).
    /// The key came from a valid entry, so nothing is checked: one allocation, a copy.
    init(storedKey key: UnsafeRawBufferPointer, kind: Kind) {
        self.init(kind: kind, bytes: kind == .all ? [] : Array(key))
    }
}
