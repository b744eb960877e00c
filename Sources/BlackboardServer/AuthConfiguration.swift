import BlackboardAccess

/// Authentication and access control (docs/SECURITY.md, `[auth]` and the admin
/// keys of docs/CONFIGURATION.md). The daemon reads the credentials and access
/// files and hands their parsed contents here; ``Broker/reconfigure(_:)``
/// replaces them on SIGHUP.
public struct AuthConfiguration: Sendable, Equatable {
    /// Which name of a verified client certificate is an identity.
    public enum CertificateIdentity: Sendable, Equatable {
        /// None: certificates identify nobody.
        case none
        /// The subject's common name.
        case commonName
        /// The first DNS, email or URI subject alternative name.
        case alternativeName
    }

    /// Clients authenticate in `HELLO` and are held to ``policy`` (`auth.enabled`).
    public var clientsAuthenticate = false
    /// Admin requests need credentials of an identity with an admin role (`admin.require_token`).
    public var adminRequiresCredentials = false
    /// `/metrics` answers loopback peers without credentials (`admin.metrics_open_on_loopback`).
    public var metricsOpenOnLoopback = false
    /// Each identity's stored hash (the credentials file).
    public var credentials: [String: PasswordHash] = [:]
    /// Roles and identities (the access file).
    public var policy = AccessPolicy()
    /// `auth.cert_identity`.
    public var certificateIdentity = CertificateIdentity.none
    /// Delay of the reply to a first failed authentication from an address, in milliseconds.
    public var failureDelayMilliseconds: UInt64 = 100
    /// The longest such delay, in milliseconds.
    public var failureDelayMaxMilliseconds: UInt64 = 5_000

    /// Authentication off.
    public init() {}
}
