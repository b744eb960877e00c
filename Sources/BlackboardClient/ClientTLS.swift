/// TLS settings of a client (``ClientConfiguration/tls``): whom to trust, what
/// to present, and how the server's name is checked. Paths name PEM files.
///
/// ```swift
/// var configuration = ClientConfiguration(host: "broker.example", port: 7070)
/// configuration.tls = ClientTLS(caFile: "/etc/blackboard/ca.pem")
/// ```
///
/// The server's certificate must chain to ``caFile`` and name the host
/// connected to (or ``serverName``) in its subjectAltName, as a DNS name or an
/// IP address. Only ``verifiesHostName`` `= false` skips the name check (the
/// chain is still verified); it is meant for tests.
public struct ClientTLS: Sendable, Equatable {
    /// The CA bundle the server's certificate must chain to; nil trusts the
    /// system's CAs.
    public var caFile: String?
    /// A client certificate chain to present (leaf first), for brokers with
    /// `tls.verify = optional | required`; needs ``privateKeyFile``.
    public var certificateFile: String?
    /// The private key of ``certificateFile``.
    public var privateKeyFile: String?
    /// The name sent as SNI and checked against the server's certificate; nil
    /// uses ``ClientConfiguration/host``.
    public var serverName: String?
    /// Whether the server's certificate must name the host (default true).
    /// False accepts any certificate that chains to the CA, whatever name it
    /// is for: for tests and lab set-ups only, since any holder of a
    /// certificate from that CA could then impersonate the broker.
    public var verifiesHostName: Bool
    /// The oldest protocol version accepted (default TLS 1.2).
    public var minimumVersion: TLSProtocolVersion

    /// TLS trusting `caFile` (nil: the system's CAs), presenting a client
    /// certificate when `certificateFile` and `privateKeyFile` are given.
    public init(caFile: String? = nil, certificateFile: String? = nil, privateKeyFile: String? = nil,
                serverName: String? = nil, verifiesHostName: Bool = true,
                minimumVersion: TLSProtocolVersion = .tls12) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.serverName = serverName
        self.verifiesHostName = verifiesHostName
        self.minimumVersion = minimumVersion
    }

    /// Checks that a certificate comes with its key and vice versa.
    func validate() throws(ClientError) {
        switch (certificateFile, privateKeyFile) {
        case (.some, nil): throw .invalidArgument("a TLS client certificate needs its private key file")
        case (nil, .some): throw .invalidArgument("a TLS private key file needs its client certificate")
        default: break
        }
        if let serverName, serverName.isEmpty { throw .invalidArgument("the TLS server name is empty") }
    }
}
