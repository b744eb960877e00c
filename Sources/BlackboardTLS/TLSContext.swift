internal import COpenSSL

/// An OpenSSL `SSL_CTX` built from a ``TLSConfiguration``: certificates loaded
/// and checked once, then shared by every connection made from it.
///
/// Replacing certificates (a reload) means building a new context; connections
/// made from the old one keep it alive until they close.
public final class TLSContext: @unchecked Sendable {
    // @unchecked Sendable: the SSL_CTX is configured entirely in init and never
    // changed afterwards; OpenSSL allows SSL_new on one SSL_CTX from many threads
    // (its reference counts are atomic).

    /// What this context was made from.
    public let configuration: TLSConfiguration
    let context: OpaquePointer

    /// Builds and checks the context: loads the chain, the key (and checks they
    /// match) and the CA bundle, and sets the verification mode, the minimum
    /// version and the cipher list.
    /// - Throws: ``TLSError`` naming the file or setting and carrying OpenSSL's reason.
    public init(_ configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        ERR_clear_error()
        let method = configuration.role == .server ? TLS_server_method() : TLS_client_method()
        guard let context = SSL_CTX_new(method) else { throw .drainingQueue("SSL_CTX_new") }
        self.context = context
        try configure()
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func configure() throws(TLSError) {
        let configuration = self.configuration
        let version = configuration.minimumVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        if blackboard_SSL_CTX_set_min_proto_version(context, version) != 1 {
            throw .drainingQueue("set minimum version \(configuration.minimumVersion.rawValue)")
        }
        // The broker retries a blocked write with whatever its output buffer
        // holds then: the same bytes at the front, possibly more behind them,
        // possibly at a new address. Partial writes return what went out.
        _ = blackboard_SSL_CTX_set_mode(
            context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        if let ciphers = configuration.ciphers, SSL_CTX_set_cipher_list(context, ciphers) != 1 {
            throw .drainingQueue("cipher list \"\(ciphers)\"")
        }
        // No renegotiation (TLS 1.2), either way: it would let a write wait on
        // input after the handshake, and costs a server a handshake per request
        // of an abusive client.
        blackboard_SSL_CTX_refuse_renegotiation(context)
        if configuration.role == .server {
            // No session resumption: each connection runs a full handshake, and
            // the server writes no session tickets after it (nothing unasked-for
            // goes out on a connection the client may be closing).
            _ = blackboard_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_OFF))
            _ = SSL_CTX_set_num_tickets(context, 0)
        }
        try loadCertificate()
        try loadTrust()
    }

    private func loadCertificate() throws(TLSError) {
        let configuration = self.configuration
        guard let chain = configuration.certificateChainFile else {
            if configuration.role == .server {
                throw TLSError("server context", message: "a certificate chain and private key are required")
            }
            return
        }
        guard let key = configuration.privateKeyFile else {
            throw TLSError("load certificate chain \(chain)", message: "no private key file given")
        }
        if SSL_CTX_use_certificate_chain_file(context, chain) != 1 {
            throw .drainingQueue("load certificate chain \(chain)")
        }
        if SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) != 1 {
            throw .drainingQueue("load private key \(key)")
        }
        if SSL_CTX_check_private_key(context) != 1 {
            throw .drainingQueue("private key \(key) does not match certificate \(chain)")
        }
    }

    private func loadTrust() throws(TLSError) {
        let configuration = self.configuration
        if let ca = configuration.caFile {
            if SSL_CTX_load_verify_locations(context, ca, nil) != 1 {
                throw .drainingQueue("load CA bundle \(ca)")
            }
            if configuration.role == .server {
                // Tells clients which CAs their certificate must come from.
                guard let names = SSL_load_client_CA_file(ca) else { throw .drainingQueue("read CA names \(ca)") }
                SSL_CTX_set_client_CA_list(context, names)
            }
        } else if configuration.role == .client {
            if SSL_CTX_set_default_verify_paths(context) != 1 { throw .drainingQueue("load the system CA bundle") }
        } else if configuration.verification != .none {
            throw TLSError("verify = \(configuration.verification.rawValue)",
                           message: "verifying client certificates needs a CA bundle")
        }
        let mode: Int32
        switch (configuration.role, configuration.verification) {
        case (_, .none): mode = SSL_VERIFY_NONE
        case (.server, .optional): mode = SSL_VERIFY_PEER
        case (.server, .required): mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
        case (.client, _): mode = SSL_VERIFY_PEER
        }
        SSL_CTX_set_verify(context, mode, nil)
    }
}
