import BlackboardCore

/// What one identity may do: the union of its roles' lists (access file,
/// docs/SECURITY.md, "Access control").
///
/// Deny wins: a subscribe entry E is permitted iff some allow entry covers E
/// and E intersects no deny entry (so `res.>` is refused when `res.secret.>`
/// is denied: granting it would deliver the denied concepts). A published
/// concept is permitted iff some allow entry matches it and no deny entry does.
/// A deny in any of an identity's roles wins over an allow in another.
public struct Permissions: Equatable, Sendable {
    /// Entries a subscription may use.
    public var subscribeAllow = EntrySet()
    /// Entries no subscription may touch.
    public var subscribeDeny = EntrySet()
    /// Concepts that may be published.
    public var publishAllow = EntrySet()
    /// Concepts that may not be published.
    public var publishDeny = EntrySet()
    /// Whether the admin port answers this identity.
    public var isAdmin = false

    /// No permission at all.
    public init() {}

    /// The union of `roles`' permissions.
    public init(roles: some Sequence<Role>) {
        for role in roles { formUnion(role.permissions) }
    }

    /// Adds every list and the admin flag of `other`.
    public mutating func formUnion(_ other: Permissions) {
        subscribeAllow.formUnion(other.subscribeAllow)
        subscribeDeny.formUnion(other.subscribeDeny)
        publishAllow.formUnion(other.publishAllow)
        publishDeny.formUnion(other.publishDeny)
        isAdmin = isAdmin || other.isAdmin
    }

    /// Whether a subscription may hold `entry`.
    public func maySubscribe(_ entry: ProfileEntry) -> Bool {
        subscribeAllow.covers(entry) && !subscribeDeny.intersects(entry)
    }

    /// The entries of `entries` a subscription may not hold, in order, without duplicates.
    public func forbiddenSubscriptions(_ entries: [ProfileEntry]) -> [ProfileEntry] {
        var seen: Set<ProfileEntry> = []
        return entries.filter { !maySubscribe($0) && seen.insert($0).inserted }
    }

    /// Whether `concept` (a valid concept's bytes) may be published.
    public func mayPublish(_ concept: UnsafeRawBufferPointer) -> Bool {
        publishAllow.covers(concept: concept) && !publishDeny.covers(concept: concept)
    }
}
