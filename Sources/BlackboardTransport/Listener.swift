#if canImport(Glibc)
import Glibc
#endif

/// Creates listening TCP sockets.
public enum Listener {
    /// Binds and listens on `host:port` (port 0 picks a free port), non-blocking,
    /// with `SO_REUSEADDR` so a restarted daemon can rebind at once.
    /// - Returns: the socket and the address actually bound.
    public static func listen(host: String, port: UInt16, backlog: Int32 = 1024) throws(SocketError) -> (Socket, SocketAddress) {
        var lastError = SocketError("bind", code: EADDRNOTAVAIL, detail: "\(host):\(port)")
        for address in try SocketAddress.resolve(host: host, port: port, passive: true) {
            let socket = try Socket.tcp(family: address.family)
            do {
                try socket.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
                try socket.bind(to: address)
                try socket.listen(backlog: backlog)
                try socket.setNonBlocking()
                return (socket, try socket.localAddress())
            } catch {
                socket.close()
                lastError = error
            }
        }
        throw lastError
    }
}
