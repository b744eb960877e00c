// Rebuilding entries from the keys the index and the filter intern them under.

extension ProfileEntry {
    /// Rebuilds an entry from the key it was interned under (a concept or a prefix).
    /// The key came from a valid entry, so parsing cannot fail; no length limit
    /// applies because the entry was already admitted under the caller's limit.
    init(storedKey key: UnsafeRawBufferPointer, kind: Kind) {
        switch kind {
        case .all: self = .all
        case .exact: self = try! ProfileEntry(parsing: key, maxConceptBytes: .max)
        case .below: self = try! ProfileEntry(parsing: Array(key) + [UInt8(ascii: "."), UInt8(ascii: ">")], maxConceptBytes: .max)
        }
    }
}
