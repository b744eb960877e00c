#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket file descriptor with the handful of calls a broker needs.
///
/// A value type: copying it does not duplicate the descriptor, and exactly one
/// owner calls ``close()``. Every call retries `EINTR` and maps `EAGAIN` to
/// `.wouldBlock`, so callers never see either.
public struct Socket: Sendable, Hashable {
    /// The file descriptor.
    public let fd: Int32

    /// Wraps an existing descriptor.
    public init(fd: Int32) { self.fd = fd }

    /// A new TCP socket of `family` with close-on-exec set.
    public static func tcp(family: Int32) throws(SocketError) -> Socket {
        let fd = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw SocketError("socket", code: errno) }
        return Socket(fd: fd)
    }

    /// Switches `O_NONBLOCK` on or off.
    public func setNonBlocking(_ on: Bool = true) throws(SocketError) {
        let flags = fcntl(fd, F_GETFL)
        if flags < 0 { throw SocketError("fcntl", code: errno) }
        let wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if fcntl(fd, F_SETFL, wanted) < 0 { throw SocketError("fcntl", code: errno) }
    }

    /// Sets an integer socket option.
    public func setOption(level: Int32, name: Int32, value: Int32) throws(SocketError) {
        var value = value
        if setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) < 0 {
            throw SocketError("setsockopt", code: errno)
        }
    }

    /// Turns off Nagle's algorithm: the broker coalesces writes itself.
    public func setNoDelay() throws(SocketError) {
        try setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
    }

    /// Binds to `address`.
    public func bind(to address: SocketAddress) throws(SocketError) {
        var storage = address.storage
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, address.length) }
        }
        if status < 0 { throw SocketError("bind", code: errno, detail: address.description) }
    }

    /// Starts listening.
    public func listen(backlog: Int32) throws(SocketError) {
        if Glibc.listen(fd, backlog) < 0 { throw SocketError("listen", code: errno) }
    }

    /// Accepts one pending connection, non-blocking and close-on-exec;
    /// `nil` when none is pending.
    public func accept() throws(SocketError) -> (Socket, SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.accept(fd, $0, &length)
                }
            }
            if client >= 0 {
                // accept4 is not exported to Swift by Glibc; set the flags by hand.
                let socket = Socket(fd: client)
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                do { try socket.setNonBlocking() } catch { socket.close(); throw error }
                return (socket, SocketAddress(storage: storage, length: length))
            }
            switch errno {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("accept", code: errno)
            }
        }
    }

    /// Connects to `address`, blocking.
    public func connect(to address: SocketAddress) throws(SocketError) {
        var storage = address.storage
        while true {
            let status = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
            }
            if status == 0 { return }
            if errno == EINTR { continue }
            throw SocketError("connect", code: errno, detail: address.description)
        }
    }

    /// Opens a blocking TCP connection to the first address of `host` that answers.
    public static func connect(host: String, port: UInt16) throws(SocketError) -> Socket {
        var lastError = SocketError("connect", code: ECONNREFUSED, detail: "\(host):\(port)")
        for address in try SocketAddress.resolve(host: host, port: port) {
            let socket = try Socket.tcp(family: address.family)
            do {
                try socket.connect(to: address)
                try? socket.setNoDelay()
                return socket
            } catch {
                socket.close()
                lastError = error
            }
        }
        throw lastError
    }

    /// Reads into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET, ENOTCONN, ETIMEDOUT: return .closed
            default: return .failed(SocketError("read", code: errno))
            }
        }
    }

    /// Writes from `buffer`; may write fewer bytes than given.
    public func write(from buffer: UnsafeRawBufferPointer) -> IOResult {
        while true {
            // MSG_NOSIGNAL: a peer that went away must not raise SIGPIPE.
            let count = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .transferred(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EPIPE, ECONNRESET, ENOTCONN: return .closed
            default: return .failed(SocketError("write", code: errno))
            }
        }
    }

    /// Writes all of `buffer`, blocking (for blocking sockets only).
    public func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SocketError) {
        var offset = 0
        while offset < buffer.count {
            switch write(from: UnsafeRawBufferPointer(rebasing: buffer[offset...])) {
            case let .transferred(count): offset += count
            case .wouldBlock: continue
            case .closed: throw SocketError("write", code: EPIPE)
            case let .failed(error): throw error
            }
        }
    }

    /// Shuts down the sending side, so the peer reads end of stream.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// The address this socket is bound to.
    public func localAddress() throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        if status < 0 { throw SocketError("getsockname", code: errno) }
        return SocketAddress(storage: storage, length: length)
    }

    /// Closes the descriptor. Call exactly once.
    public func close() {
        _ = Glibc.close(fd)
    }
}
