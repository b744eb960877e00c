import BlackboardCore

/// A new state of the aggregate subscription profile, as a ``Publisher`` applied it.
public struct ProfileUpdate: Sendable, Equatable {
    /// The aggregate profile's version.
    public var version: UInt64
    /// The whole aggregate profile after the update, sorted.
    public var entries: [ProfileEntry]
    /// The change, when the broker sent a `DELTA`; `nil` for a full `PROFILE`
    /// (on registration, after a reconnect, and as the first element of
    /// ``Publisher/profileUpdates()``).
    public var delta: ProfileDelta?

    /// An update with the given fields.
    public init(version: UInt64, entries: [ProfileEntry], delta: ProfileDelta?) {
        self.version = version
        self.entries = entries
        self.delta = delta
    }
}
