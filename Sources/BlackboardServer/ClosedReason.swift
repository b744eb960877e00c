import BlackboardProtocol

/// Why the broker closed a connection: logged, and counted in the stats.
public enum ClosedReason: Equatable, Sendable, CustomStringConvertible {
    /// The client closed its end.
    case clientClosed
    /// The client sent `QUIT`.
    case quit
    /// A read or write failed.
    case socketError(String)
    /// A fatal protocol error (the error line was sent first).
    case protocolError(ErrorCode)
    /// Pending output passed `max_pending`, or stayed unwritable past the deadline.
    case slowConsumer
    /// Pings went unanswered.
    case staleConnection
    /// Another connection said `HELLO` with the same URI.
    case replaced
    /// The broker is stopping.
    case shuttingDown
    /// The broker was at `max_connections` when this connection arrived.
    case tooManyConnections
    /// The TLS handshake did not finish within `tls.handshake_timeout_ms`.
    case handshakeTimeout

    public var description: String {
        switch self {
        case .clientClosed: return "client closed"
        case .quit: return "client quit"
        case let .socketError(text): return "socket error: \(text)"
        case let .protocolError(code): return "protocol error \(code.rawValue)"
        case .slowConsumer: return "slow consumer"
        case .staleConnection: return "stale connection"
        case .replaced: return "replaced by a newer connection with the same URI"
        case .shuttingDown: return "shutting down"
        case .tooManyConnections: return "too many connections"
        case .handshakeTimeout: return "TLS handshake timed out"
        }
    }
}
