import BlackboardTransport

#if canImport(Glibc)
import Glibc
#endif

/// Opens TCP connections with a deadline (`Socket.connect(host:port:)` blocks for
/// as long as the kernel retries): a non-blocking `connect`, a `poll` for
/// writability, then `SO_ERROR`. The returned socket is blocking, with TCP_NODELAY,
/// and with `SO_RCVTIMEO` when a receive timeout is asked for: a `read` that waits
/// that long without input then fails with `EAGAIN` (`IOResult.wouldBlock`),
/// which is how a reader notices the silence that keepalive pings answer.
enum Connector {
    /// Connects to the first address of `host` that answers within `timeout` overall.
    /// - Parameter receiveTimeout: how long a read may wait for input (`nil`: for ever).
    static func connect(
        host: String, port: UInt16, timeout: Duration, receiveTimeout: Duration? = nil
    ) throws(ClientError) -> Socket {
        let endpoint = ClientConfiguration(host: host, port: port, uri: "-").endpoint
        let addresses: [SocketAddress]
        do {
            addresses = try SocketAddress.resolve(host: host, port: port)
        } catch {
            throw .connectionFailed(endpoint: endpoint, reason: error.description)
        }
        let deadline = ContinuousClock.now + timeout
        var reason = "no address for \(host)"
        for address in addresses {
            do {
                let socket = try Socket.tcp(family: address.family)
                do {
                    try connect(socket, to: address, deadline: deadline)
                    if let receiveTimeout { try setReceiveTimeout(socket, receiveTimeout) }
                    return socket
                } catch {
                    socket.close()
                    reason = error.description
                }
            } catch {
                reason = error.description
            }
        }
        throw .connectionFailed(endpoint: endpoint, reason: reason)
    }

    private static func connect(_ socket: Socket, to address: SocketAddress, deadline: ContinuousClock.Instant) throws(SocketError) {
        try socket.setNonBlocking(true)
        do {
            try socket.connect(to: address)
        } catch where error.code == EINPROGRESS {
            try awaitConnection(socket, to: address, deadline: deadline)
        }
        try socket.setNonBlocking(false)
        try? socket.setNoDelay()
    }

    private static func setReceiveTimeout(_ socket: Socket, _ timeout: Duration) throws(SocketError) {
        let (seconds, attoseconds) = timeout.components
        let microseconds = Int(attoseconds / 1_000_000_000_000)
        // A zero timeval means no timeout at all: round anything shorter up to 1 µs.
        var value = timeval(tv_sec: Int(seconds), tv_usec: seconds == 0 ? max(microseconds, 1) : microseconds)
        if setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) < 0 {
            throw SocketError("setsockopt SO_RCVTIMEO", code: errno)
        }
    }

    private static func awaitConnection(
        _ socket: Socket, to address: SocketAddress, deadline: ContinuousClock.Instant
    ) throws(SocketError) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { throw SocketError("connect", code: ETIMEDOUT, detail: address.description) }
            var descriptor = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: max(1, left.milliseconds)))
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { throw SocketError("poll", code: errno) }
            if ready == 0 { continue }
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &failure, &length) < 0 {
                throw SocketError("getsockopt", code: errno)
            }
            if failure != 0 { throw SocketError("connect", code: failure, detail: address.description) }
            return
        }
    }
}
