import BlackboardTLS
import BlackboardTransport

/// The connection of one ``AdminClient`` request: a blocking socket, or TLS.
enum AdminStream {
    case plain(Socket)
    case tls(TLSClientStream)

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

    func close() {
        switch self {
        case let .plain(socket): socket.close()
        case let .tls(stream): stream.close()
        }
    }
}
