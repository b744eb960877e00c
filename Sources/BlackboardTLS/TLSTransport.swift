import BlackboardTransport
// `internal`: no OpenSSL type or symbol reaches BlackboardTLS's importers.
internal import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// TLS over a connected, non-blocking socket: a ``Transport`` whose reads and
/// writes are `SSL_read` and `SSL_write` on the socket's descriptor.
///
/// There is no separate handshake step. The first reads and writes drive the
/// handshake (OpenSSL runs it inside `SSL_read`/`SSL_write` once the role is
/// set), and return `.wouldBlock` until it is done and application data flows.
/// So a server needs nothing but its usual read source: the client's hello
/// makes the descriptor readable, the read advances the handshake, and so on.
///
/// OpenSSL's `WANT_READ`/`WANT_WRITE` become `.wouldBlock`, with the readiness
/// they wait for in ``readWaitsForWritable`` and ``writeWaitsForReadable``:
/// during a handshake a read may have to write (the server's flight did not
/// fit in the socket buffer) and a write may have to read (the peer's flight
/// has not arrived). The caller retries the read when the descriptor turns
/// writable, or the write when it turns readable (see ``Transport``).
///
/// OpenSSL reads one record at a time from the socket (no read-ahead), and a
/// record fits the caller's buffer when that holds at least 16 KiB, so
/// decrypted bytes are never left inside OpenSSL while the descriptor reads as
/// idle. Used from one queue or thread at a time, like every ``Transport``:
/// one `SSL` must not see `SSL_read` and `SSL_write` from two threads at once.
public final class TLSTransport: Transport {
    private let socket: Socket
    /// Kept alive as long as the `SSL` made from it.
    private let context: TLSContext
    private let ssl: OpaquePointer
    private var isClosed = false
    /// A fatal TLS error happened: no close_notify may be sent.
    private var isBroken = false

    public private(set) var readWaitsForWritable = false
    public private(set) var writeWaitsForReadable = false
    /// Why the stream failed, when it failed for a TLS reason (a refused
    /// certificate, an unsupported version): OpenSSL's explanation.
    public private(set) var failure: TLSError?

    /// Wraps `socket` (connected, non-blocking) for the role of `context`; the
    /// transport owns the socket from now on. A client passes the name it
    /// connected to as `serverName`: it is sent as SNI (unless it is an IP
    /// address) and the server's certificate must match it (a DNS name or an
    /// IP address in its subjectAltName) unless verification is off, or
    /// `verifiesHostName` is false (the chain is still verified; for tests and
    /// for reaching a broker by an address its certificate does not name).
    /// - Throws: ``TLSError`` when OpenSSL cannot make the connection object;
    ///   the socket is then still the caller's to close.
    public init(socket: Socket, context: TLSContext, serverName: String? = nil,
                verifiesHostName: Bool = true) throws(TLSError) {
        // Everything that can fail happens before the stored properties are
        // set: a throwing init that had set them all would run deinit, which
        // frees the SSL and closes the socket (the caller's, on failure).
        self.ssl = try TLSTransport.makeSSL(
            socket: socket, context: context, serverName: serverName, verifiesHostName: verifiesHostName)
        self.socket = socket
        self.context = context
    }

    private static func makeSSL(
        socket: Socket, context: TLSContext, serverName: String?, verifiesHostName: Bool
    ) throws(TLSError) -> OpaquePointer {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else { throw .drainingQueue("SSL_new") }
        guard let method = TLSTransport.socketMethod,
              let bio = blackboard_BIO_new_socket(method, socket.fd) else {
            SSL_free(ssl)
            throw .drainingQueue("socket BIO")
        }
        SSL_set_bio(ssl, bio, bio)
        guard context.configuration.role == .client else {
            SSL_set_accept_state(ssl)
            return ssl
        }
        SSL_set_connect_state(ssl)
        if let serverName {
            let isAddress = verifiesHostName
                ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1
                : serverName.contains(":") || serverName.allSatisfy { $0 == "." || $0.isNumber }
            ERR_clear_error()
            if !isAddress {
                _ = blackboard_SSL_set_tlsext_host_name(ssl, serverName)
                if verifiesHostName && context.configuration.verification != .none
                    && SSL_set1_host(ssl, serverName) != 1 {
                    SSL_free(ssl)
                    throw .drainingQueue("verify host name \(serverName)")
                }
            }
        }
        return ssl
    }

    deinit {
        SSL_free(ssl)
        if !isClosed { socket.close() }
    }

    /// The socket BIO that writes with MSG_NOSIGNAL (COpenSSL/shim.h), made once.
    /// nonisolated(unsafe): written once by Swift's thread-safe lazy global
    /// initialisation, then only read; OpenSSL never changes a method in use.
    private nonisolated(unsafe) static let socketMethod: OpaquePointer? = blackboard_nosignal_socket_method_new()

    public var fileDescriptor: Int32 { socket.fd }

    public var isHandshaking: Bool { SSL_is_init_finished(ssl) == 0 }

    /// The negotiated protocol, e.g. `TLSv1.3` (`unknown` before the handshake).
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The subject of the peer's verified certificate in OpenSSL's one-line
    /// form (`/CN=client-1/O=example`); nil when the peer sent none.
    public var peerCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard let name = X509_get_subject_name(certificate), let line = X509_NAME_oneline(name, nil, 0) else {
            return nil
        }
        defer { CRYPTO_free(line, #fileID, #line) }
        return String(cString: line)
    }

    /// Drives the handshake without moving application data (a client that
    /// wants its failures before it sends anything): `.transferred(0)` once the
    /// handshake is done, `.wouldBlock` while it waits for the socket (see
    /// ``readWaitsForWritable``: true when it waits for writable), `.closed`
    /// or `.failed` (with ``failure`` set for a TLS reason) when it failed.
    public func handshake() -> IOResult {
        readWaitsForWritable = false
        while true {
            ERR_clear_error()
            let result = SSL_do_handshake(ssl)
            if result == 1 { return .transferred(0) }
            switch outcome(of: result, in: "TLS handshake") {
            case .retry: continue
            case .wantRead: return .wouldBlock
            case .wantWrite:
                readWaitsForWritable = true
                return .wouldBlock
            case let .done(result): return result
            }
        }
    }

    /// The CN and the DNS, email and URI subject alternative names of the peer's
    /// certificate, once the handshake is done and only if the certificate verified.
    public var peerCertificateNames: CertificateNames? {
        guard SSL_is_init_finished(ssl) != 0, SSL_get_verify_result(ssl) == X509_V_OK,
              let certificate = SSL_get1_peer_certificate(ssl)
        else { return nil }
        defer { X509_free(certificate) }
        var commonName: String?
        if let subject = X509_get_subject_name(certificate) {
            let index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
            if index >= 0, let entry = X509_NAME_get_entry(subject, index) {
                commonName = Self.text(of: X509_NAME_ENTRY_get_data(entry))
            }
        }
        var alternativeNames: [String] = []
        if let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) {
            let names = OpaquePointer(raw)
            defer { GENERAL_NAMES_free(names) }
            for index in 0..<blackboard_general_names_count(names) {
                if let name = blackboard_general_names_value(names, index),
                   let text = blackboard_general_name_text(name).flatMap({ Self.text(of: $0) })
                {
                    alternativeNames.append(text)
                }
            }
        }
        return CertificateNames(commonName: commonName, alternativeNames: alternativeNames)
    }

    /// An ASN.1 string's bytes as text; nil when empty or not UTF-8.
    private static func text(of string: UnsafePointer<ASN1_STRING>?) -> String? {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return nil }
        let length = Int(ASN1_STRING_length(string))
        guard length > 0 else { return nil }
        return String(validating: UnsafeBufferPointer(start: data, count: length), as: UTF8.self)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        readWaitsForWritable = false
        while true {
            ERR_clear_error()
            let count = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
            if count > 0 { return .transferred(Int(count)) }
            switch outcome(of: count, in: "SSL_read") {
            case .retry: continue
            case .wantRead: return .wouldBlock
            case .wantWrite:
                readWaitsForWritable = true
                return .wouldBlock
            case let .done(result): return result
            }
        }
    }

    public func write(from buffer: UnsafeRawBufferPointer) -> IOResult {
        writeWaitsForReadable = false
        if buffer.isEmpty { return .transferred(0) }
        while true {
            ERR_clear_error()
            let count = SSL_write(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
            if count > 0 { return .transferred(Int(count)) }
            switch outcome(of: count, in: "SSL_write") {
            case .retry: continue
            case .wantRead:
                writeWaitsForReadable = true
                return .wouldBlock
            case .wantWrite: return .wouldBlock
            case let .done(result): return result
            }
        }
    }

    /// Sends close_notify if the session is intact (best effort: never waits
    /// for the socket or the peer's reply), then frees the TLS state's
    /// descriptor. Idempotent.
    public func close() {
        if isClosed { return }
        isClosed = true
        if !isBroken && !isHandshaking {
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
        }
        socket.close()
    }

    private enum Outcome {
        case retry
        case wantRead
        case wantWrite
        case done(IOResult)
    }

    /// What a failed (`result` <= 0) `SSL_read`/`SSL_write` means.
    private func outcome(of result: Int32, in operation: String) -> Outcome {
        let code = SSL_get_error(ssl, result)
        let savedErrno = errno
        switch code {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            // The peer sent close_notify: a clean end of stream.
            return .done(.closed)
        case SSL_ERROR_SYSCALL:
            isBroken = true
            if let queued = TLSError.takeErrorQueue() { return .done(fail(operation, queued)) }
            switch savedErrno {
            case EINTR:
                isBroken = false
                return .retry
            case 0, EPIPE, ECONNRESET, ENOTCONN, ETIMEDOUT: return .done(.closed)
            default: return .done(.failed(SocketError(operation, code: savedErrno)))
            }
        default:
            isBroken = true
            // OpenSSL 3 reports a peer that closed the TCP connection without
            // close_notify as an error; to the caller that is end of stream,
            // like a plain socket's (our framing detects truncated frames).
            if ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING {
                ERR_clear_error()
                return .done(.closed)
            }
            return .done(fail(operation, TLSError.takeErrorQueue() ?? "TLS error \(code)"))
        }
    }

    private func fail(_ operation: String, _ message: String) -> IOResult {
        var message = message
        // "certificate verify failed" alone does not say what was wrong with
        // the certificate; the verification result does (hostname mismatch,
        // unable to get local issuer certificate, certificate has expired…).
        let verdict = SSL_get_verify_result(ssl)
        if verdict != Int(X509_V_OK), let reason = X509_verify_cert_error_string(verdict) {
            message += " (\(String(cString: reason)))"
        }
        let error = TLSError(operation, message: message)
        failure = error
        return .failed(SocketError(operation, code: 0, detail: message))
    }
}
