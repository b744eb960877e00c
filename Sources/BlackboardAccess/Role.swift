/// A named group of permissions (seed 002's key classes): identities are
/// granted roles, never permissions directly.
public struct Role: Equatable, Sendable {
    /// The role's name in the access file.
    public var name: String
    /// What the role permits.
    public var permissions: Permissions

    /// A role with the given permissions.
    public init(name: String, permissions: Permissions = Permissions()) {
        self.name = name
        self.permissions = permissions
    }
}
