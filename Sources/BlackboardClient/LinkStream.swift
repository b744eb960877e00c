import BlackboardTLS
import BlackboardTransport

/// The byte stream of a ``Link``: a blocking socket (plain TCP, the fast path:
/// the reader and the writer call `read` and `send` directly), or a TLS stream
/// that serialises OpenSSL calls between the two threads (``TLSClientStream``).
/// Either way a read returns `.wouldBlock` when a keepalive interval passed
/// without input.
///
/// A struct with an optional TLS stream, not an enum with a payload per case: a
/// multi-payload enum keeps its case in the spare bits of the class reference,
/// which then no longer looks like a pointer to LeakSanitizer, and
/// `make test-sanitize` reported the TLS stream of every live link as leaked.
struct LinkStream: Sendable {
    /// The connected socket; read and written directly when ``tls`` is nil.
    private let socket: Socket
    /// The TLS stream over `socket`, which owns the socket.
    private let tls: TLSClientStream?

    /// Plain TCP over a blocking socket.
    static func plain(_ socket: Socket) -> LinkStream {
        LinkStream(socket: socket, tls: nil)
    }

    /// TLS, its handshake done.
    static func tls(_ stream: TLSClientStream) -> LinkStream {
        LinkStream(socket: Socket(fd: stream.fileDescriptor), tls: stream)
    }

    var fileDescriptor: Int32 { socket.fd }

    var isTLS: Bool { tls != nil }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        if let tls { tls.read(into: buffer) } else { socket.read(into: buffer) }
    }

    func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SocketError) {
        if let tls { try tls.writeAll(buffer) } else { try socket.writeAll(buffer) }
    }

    /// Why the stream broke, when TLS broke it (an alert from the broker, such
    /// as a refused client certificate); nil for plain TCP.
    var tlsFailure: String? {
        tls?.failure?.description
    }

    /// Closes the descriptor; only once no thread uses the stream.
    func close() {
        if let tls { tls.close() } else { socket.close() }
    }
}
