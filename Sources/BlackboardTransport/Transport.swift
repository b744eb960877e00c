/// The byte stream under a session (seed 004 §4.1: the network link is hidden
/// behind an interface so other implementations plug in). Plain TCP is
/// ``PlainTransport``; TLS implements the same calls later, and the broker never
/// learns which one it holds.
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
