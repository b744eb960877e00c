/// The byte stream under a session (seed 004 §4.1: the network link is hidden
/// behind an interface so other implementations plug in). Plain TCP is
/// ``PlainTransport``; TLS (BlackboardTLS) implements the same calls, and the
/// broker never learns which one it holds.
///
/// Readiness can cross over. A plain read that returns `.wouldBlock` waits for
/// the descriptor to become readable, and a write for writable. A TLS read may
/// instead have handshake output of its own stuck behind a full socket (wait for
/// writable), and a TLS write may need the peer's handshake messages first (wait
/// for readable). After a `.wouldBlock` the caller asks ``readWaitsForWritable``
/// and ``writeWaitsForReadable`` which readiness to wait for before retrying;
/// both are always false for plain TCP.
///
/// Implementations are used from one serial queue and are not thread-safe.
public protocol Transport: AnyObject {
    /// The descriptor to watch for readiness.
    var fileDescriptor: Int32 { get }
    /// Reads available bytes into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult
    /// Writes bytes from `buffer`, possibly fewer than given.
    func write(from buffer: UnsafeRawBufferPointer) -> IOResult
    /// Closes the stream and its descriptor. Idempotent.
    func close()
    /// The last read returned `.wouldBlock` because the transport must first
    /// write (TLS handshake output the socket would not take): retry the read
    /// when the descriptor becomes writable.
    var readWaitsForWritable: Bool { get }
    /// The last write returned `.wouldBlock` because the transport must first
    /// read (a TLS handshake in progress): retry the write when the descriptor
    /// becomes readable, not writable (it is, and waiting on that would spin).
    var writeWaitsForReadable: Bool { get }
    /// The stream's handshake has not finished yet (always false for plain TCP):
    /// the broker drops connections that stay in it too long.
    var isHandshaking: Bool { get }
    /// The names in the peer's certificate, when the peer sent one and it was
    /// verified against the CA bundle (TLS with `verify = optional | required`);
    /// nil otherwise, and always for plain TCP. The broker may take one of
    /// them as the client's identity (docs/SECURITY.md).
    var peerCertificateNames: CertificateNames? { get }
}

/// The names a verified peer certificate carries, without any TLS library's types.
public struct CertificateNames: Equatable, Sendable {
    /// The subject's common name (CN), if any.
    public var commonName: String?
    /// The subject alternative names of kinds DNS, email and URI, in certificate order.
    public var alternativeNames: [String]

    /// Names from their parts.
    public init(commonName: String?, alternativeNames: [String]) {
        self.commonName = commonName
        self.alternativeNames = alternativeNames
    }
}

extension Transport {
    public var readWaitsForWritable: Bool { false }
    public var writeWaitsForReadable: Bool { false }
    public var isHandshaking: Bool { false }
    public var peerCertificateNames: CertificateNames? { nil }
}

/// Plain TCP: the socket calls themselves.
public final class PlainTransport: Transport {
    private let socket: Socket
    private var isClosed = false

    /// Wraps a connected, non-blocking socket; the transport owns it from now on.
    public init(socket: Socket) { self.socket = socket }

    public var fileDescriptor: Int32 { socket.fd }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult { socket.read(into: buffer) }

    public func write(from buffer: UnsafeRawBufferPointer) -> IOResult { socket.write(from: buffer) }

    public func close() {
        if isClosed { return }
        isClosed = true
        socket.close()
    }
}
