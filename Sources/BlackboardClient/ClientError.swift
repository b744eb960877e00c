/// Why a client operation failed.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No connection could be opened to `endpoint` (`host:port`).
    case connectionFailed(endpoint: String, reason: String)
    /// The connection to `endpoint` broke before the operation completed.
    /// With ``ClientConfiguration/reconnects`` on, the client reconnects by
    /// itself; the failed operation is not retried.
    case connectionLost(endpoint: String, reason: String)
    /// The broker answered `-ERR code message` (codes in PROTOCOL.md, "Error codes").
    case serverError(code: String, message: String)
    /// The broker refused the credentials (`auth_failed`, after which it closes
    /// the connection) or wants some (`auth_required`). Never retried: the
    /// client closes, whatever ``ClientConfiguration/reconnects`` says.
    case authenticationFailed(code: String, message: String)
    /// The operation did not complete in time; `operation` says which and why.
    case timeout(operation: String)
    /// The client was closed.
    case closed
    /// The caller passed something the protocol cannot carry.
    case invalidArgument(String)
    /// TLS with `endpoint` failed: the handshake did not complete (the server's
    /// certificate was refused, e.g. `certificate verify failed (hostname
    /// mismatch)`; the server does not speak TLS), or the broker ended the
    /// session with an alert (e.g. `tlsv13 alert certificate required` when it
    /// requires a client certificate). `reason` is OpenSSL's.
    case tlsFailed(endpoint: String, reason: String)
    /// The TLS settings could not be loaded (``ClientTLS``): a CA bundle,
    /// certificate or key file missing or unreadable, or a key that does not
    /// match its certificate. Thrown before any connection is tried.
    case tlsSetupFailed(String)

    /// The error for `-ERR code message`: auth codes get their own case.
    static func fromBroker(code: String, message: String) -> ClientError {
        code == "auth_failed" || code == "auth_required"
            ? .authenticationFailed(code: code, message: message) : .serverError(code: code, message: message)
    }

    public var description: String {
        switch self {
        case let .connectionFailed(endpoint, reason): return "cannot connect to \(endpoint): \(reason)"
        case let .connectionLost(endpoint, reason): return "connection to \(endpoint) lost: \(reason)"
        case let .serverError(code, message): return "broker error \(code): \(message)"
        case let .authenticationFailed(code, message): return "authentication refused (\(code)): \(message)"
        case let .timeout(operation): return "timed out: \(operation)"
        case .closed: return "the client is closed"
        case let .invalidArgument(reason): return "invalid argument: \(reason)"
        case let .tlsFailed(endpoint, reason): return "TLS with \(endpoint) failed: \(reason)"
        case let .tlsSetupFailed(reason): return "cannot set up TLS: \(reason)"
        }
    }
}
