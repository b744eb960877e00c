/// The parsed access file: roles, the roles of each identity, and the roles of
/// clients without credentials (docs/SECURITY.md, "Access control").
public struct AccessPolicy: Equatable, Sendable {
    /// Roles by name.
    public var roles: [String: Role] = [:]
    /// The role names of each identity (a credentials name or a certificate name).
    public var identities: [String: [String]] = [:]
    /// The role names of clients that give no credentials; nil: credentials are required.
    public var anonymous: [String]?

    /// An empty policy: no roles, nobody has any permission, credentials required.
    public init() {}

    /// The permissions of `identity`: the union of its roles; none when it is not listed.
    public func permissions(of identity: String) -> Permissions {
        permissions(ofRoles: identities[identity] ?? [])
    }

    /// The permissions of a client without credentials; nil when credentials are required.
    public var anonymousPermissions: Permissions? {
        anonymous.map { permissions(ofRoles: $0) }
    }

    private func permissions(ofRoles names: [String]) -> Permissions {
        Permissions(roles: names.compactMap { roles[$0] })
    }
}
