/// Which end of the handshake a ``TLSContext`` plays.
public enum TLSRole: Sendable, Equatable {
    /// Accepts connections: presents its certificate, may ask clients for theirs.
    case server
    /// Connects: verifies the server's certificate, may present one of its own.
    case client
}

/// Whether and how the peer's certificate is checked.
public enum TLSVerification: String, Sendable, Equatable, CaseIterable {
    /// No certificate is asked for (server) or checked (client). A client with
    /// `none` is open to any man in the middle: for tests and loopback only.
    case none
    /// A server asks for a client certificate and checks one if sent, but lets
    /// clients without one in. (A client treats this as `required`.)
    case optional
    /// The peer must present a certificate that chains to the CA bundle.
    case required
}

/// The oldest protocol version accepted.
public enum TLSProtocolVersion: String, Sendable, Equatable, CaseIterable {
    case tls12 = "1.2"
    case tls13 = "1.3"
}

/// Everything a ``TLSContext`` is made from. Paths name PEM files.
public struct TLSConfiguration: Sendable, Equatable {
    /// Server or client.
    public var role: TLSRole
    /// The certificate chain presented to the peer (leaf first); required for
    /// a server, optional for a client (its client certificate).
    public var certificateChainFile: String?
    /// The private key of the leaf certificate.
    public var privateKeyFile: String?
    /// The CA bundle that peer certificates must chain to. A server needs it to
    /// verify client certificates; a client without one uses the system's.
    public var caFile: String?
    /// How the peer's certificate is checked.
    public var verification: TLSVerification
    /// The oldest protocol version accepted.
    public var minimumVersion: TLSProtocolVersion = .tls12
    /// OpenSSL cipher list for TLS 1.2 (`SSL_CTX_set_cipher_list` syntax, e.g.
    /// `ECDHE+AESGCM`); nil keeps OpenSSL's default. TLS 1.3 suites are
    /// OpenSSL's defaults, all of them strong.
    public var ciphers: String?

    /// A server presenting `certificateChainFile`, verifying clients against
    /// `caFile` as `verification` says.
    public static func server(certificateChainFile: String, privateKeyFile: String, caFile: String? = nil,
                              verification: TLSVerification = .none) -> TLSConfiguration {
        TLSConfiguration(role: .server, certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile,
                         caFile: caFile, verification: verification)
    }

    /// A client verifying servers against `caFile` (nil: the system's CAs),
    /// presenting a client certificate if both files are given.
    public static func client(caFile: String? = nil, certificateChainFile: String? = nil,
                              privateKeyFile: String? = nil,
                              verification: TLSVerification = .required) -> TLSConfiguration {
        TLSConfiguration(role: .client, certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile,
                         caFile: caFile, verification: verification)
    }
}
