/// A change of the aggregate subscription profile: what entered the union and
/// what left it, and the version the union has after the change.
public struct ProfileDelta: Equatable, Sendable {
    /// The aggregate profile's version after this change (versions start at 0
    /// for the empty profile and grow by one per change).
    public var version: UInt64
    /// Entries that entered the union, sorted.
    public var added: [ProfileEntry]
    /// Entries that left the union, sorted.
    public var removed: [ProfileEntry]

    public init(version: UInt64, added: [ProfileEntry], removed: [ProfileEntry]) {
        self.version = version
        self.added = added
        self.removed = removed
    }
}
