import BlackboardTLS
import BlackboardTransport

/// The byte stream of a ``Link``: a blocking socket (plain TCP, the fast path:
/// the reader and the writer call `read` and `send` directly), or a TLS stream
/// that serialises OpenSSL calls between the two threads (``TLSClientStream``).
/// Either way a read returns `.wouldBlock` when a keepalive interval passed
/// without input.
enum LinkStream: Sendable {
    case plain(Socket)
    case tls(TLSClientStream)

    var fileDescriptor: Int32 {
        switch self {
        case let .plain(socket): socket.fd
        case let .tls(stream): stream.fileDescriptor
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        switch self {
        case let .plain(socket): socket.read(into: buffer)
        case let .tls(stream): stream.read(into: buffer)
        }
    }

    func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SocketError) {
        switch self {
        case let .plain(socket): try socket.writeAll(buffer)
        case let .tls(stream): try stream.writeAll(buffer)
        }
    }

    /// Why the stream broke, when TLS broke it (an alert from the broker, such
    /// as a refused client certificate); nil for plain TCP.
    var tlsFailure: String? {
        guard case let .tls(stream) = self else { return nil }
        return stream.failure?.description
    }

    /// Closes the descriptor; only once no thread uses the stream.
    func close() {
        switch self {
        case let .plain(socket): socket.close()
        case let .tls(stream): stream.close()
        }
    }
}
