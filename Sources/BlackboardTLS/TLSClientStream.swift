import BlackboardTransport

#if canImport(Glibc)
import Glibc
#endif

/// A client's TLS connection for threads that block: the client library's
/// reader and writer threads (BlackboardClient's `Link`), and the CLI's
/// one-request admin client.
///
/// OpenSSL forbids calls on one `SSL` from two threads at once, and a blocking
/// `SSL_read` would hold the connection while it waits. So the socket is
/// non-blocking, every OpenSSL call runs under one mutex and returns at once,
/// and the waiting happens in `poll` outside the mutex: a reader waiting for
/// input never keeps a writer from sending, and vice versa.
///
/// The handshake runs once, in ``handshake(deadline:)``, before the stream is
/// shared; after it a read waits for readable and a write for writable (the
/// client refuses renegotiation, and TLS 1.3's post-handshake messages are
/// consumed by reads). Crossed waits are still handled (see ``writeAll(_:)``).
public final class TLSClientStream: @unchecked Sendable {
    // @unchecked Sendable: `transport` is touched only between lock() and
    // unlock() of `mutex`; the other stored properties are immutable.
    private let transport: TLSTransport
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// How long ``read(into:)`` waits for input before it returns `.wouldBlock`
    /// (nil: for ever); the equivalent of a blocking socket's `SO_RCVTIMEO`.
    public let receiveTimeout: Duration?
    /// The socket's descriptor.
    public let fileDescriptor: Int32

    /// Wraps a connected socket (made non-blocking here; owned by the stream
    /// from now on, also when this throws) for the client `context`.
    /// `serverName` is sent as SNI and checked against the server's
    /// certificate unless `verifiesHostName` is false (see ``TLSTransport``).
    public init(socket: Socket, context: TLSContext, serverName: String, verifiesHostName: Bool = true,
                receiveTimeout: Duration? = nil) throws(TLSError) {
        do {
            try socket.setNonBlocking(true)
            transport = try TLSTransport(
                socket: socket, context: context, serverName: serverName, verifiesHostName: verifiesHostName)
        } catch let error as TLSError {
            socket.close()
            throw error
        } catch {
            socket.close()
            throw TLSError("TLS connection", message: "\(error)")
        }
        fileDescriptor = socket.fd
        self.receiveTimeout = receiveTimeout
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<Result>(_ body: (TLSTransport) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(transport)
    }

    /// Runs the handshake to its end, or throws why it failed: the server's
    /// certificate refused (with OpenSSL's verification reason, e.g. `hostname
    /// mismatch`), a protocol error, the server closing (e.g. not speaking TLS),
    /// or `deadline` passing. Call once, before sharing the stream.
    public func handshake(deadline: ContinuousClock.Instant) throws(TLSError) {
        while true {
            let (result, waitsForWritable) = locked { ($0.handshake(), $0.readWaitsForWritable) }
            switch result {
            case .transferred:
                return
            case .wouldBlock:
                let left = ContinuousClock.now.duration(to: deadline)
                if left <= .zero || !Self.wait(fileDescriptor, for: waitsForWritable ? POLLOUT : POLLIN, timeout: left) {
                    throw TLSError("TLS handshake",
                                   message: "no answer from the server in time (is it serving TLS?)")
                }
            case .closed:
                throw TLSError("TLS handshake", message: "the server closed the connection (is it serving TLS?)")
            case let .failed(error):
                throw failure ?? TLSError("TLS handshake", message: error.description)
            }
        }
    }

    /// Reads available bytes, waiting for them at most ``receiveTimeout``:
    /// `.wouldBlock` means that much time passed without any.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        let deadline = receiveTimeout.map { ContinuousClock.now + $0 }
        while true {
            let (result, waitsForWritable) = locked { ($0.read(into: buffer), $0.readWaitsForWritable) }
            guard case .wouldBlock = result else { return result }
            let left = deadline.map { ContinuousClock.now.duration(to: $0) }
            if let left, left <= .zero { return .wouldBlock }
            _ = Self.wait(fileDescriptor, for: waitsForWritable ? POLLOUT : POLLIN, timeout: left)
        }
    }

    /// Writes all of `buffer`, waiting for the socket as long as it takes
    /// (a shut-down socket ends the wait with an error).
    public func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SocketError) {
        var offset = 0
        while offset < buffer.count {
            let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
            let (result, waitsForReadable) = locked { ($0.write(from: rest), $0.writeWaitsForReadable) }
            switch result {
            case let .transferred(count):
                offset += count
            case .wouldBlock where waitsForReadable:
                // The input it waits for may be consumed by the reader thread,
                // which would leave this poll asleep; so look again soon.
                _ = Self.wait(fileDescriptor, for: POLLIN, timeout: .milliseconds(10))
            case .wouldBlock:
                _ = Self.wait(fileDescriptor, for: POLLOUT, timeout: nil)
            case .closed:
                throw SocketError("write", code: EPIPE)
            case let .failed(error):
                throw error
            }
        }
    }

    /// Why the stream failed when it failed for a TLS reason (an alert from
    /// the server, such as a refused client certificate): OpenSSL's explanation.
    public var failure: TLSError? { locked { $0.failure } }

    /// The negotiated protocol, e.g. `TLSv1.3`.
    public var protocolVersion: String { locked { $0.protocolVersion } }

    /// Sends close_notify (best effort) and closes the descriptor. Call only
    /// when no other thread uses the stream any more; idempotent.
    public func close() {
        locked { $0.close() }
    }

    /// Waits until `fd` reports `events` (or an error or hang-up), at most
    /// `timeout` (nil: for ever); false when the time ran out.
    private static func wait(_ fd: Int32, for events: Int32, timeout: Duration?) -> Bool {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                if left <= .zero { return false }
                let (seconds, attoseconds) = left.components
                // Rounded up, so a wait never ends just before its deadline.
                milliseconds = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            }
            var descriptor = pollfd(fd: fd, events: Int16(events), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }
        }
    }
}
