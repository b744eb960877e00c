/// Why a request to an HTTP port (the broker's admin port, the monitor's) failed;
/// ``AdminError/status`` is the exit status. `service` names the port in messages
/// ("the admin port", "the monitor").
enum AdminError: Error, CustomStringConvertible {
    /// The port could not be reached, or the connection broke or timed out.
    case unreachable(service: String, endpoint: String, reason: String)
    /// The server answered with an error status (`{"error":…}` in the body).
    case refused(service: String, endpoint: String, status: Int, message: String)
    /// The answer is not the HTTP or JSON the port sends.
    case malformed(service: String, endpoint: String, reason: String)

    var description: String {
        switch self {
        case let .unreachable(service, endpoint, reason): return "cannot reach \(service) at \(endpoint): \(reason)"
        case let .refused(service, endpoint, status, message): return "\(endpoint): \(service) answered \(status): \(message)"
        case let .malformed(service, endpoint, reason): return "\(endpoint): unexpected answer from \(service): \(reason)"
        }
    }

    /// The exit status (ExitStatus.swift).
    var status: Int32 {
        switch self {
        case .unreachable: return ExitStatus.connection
        case .refused, .malformed: return ExitStatus.broker
        }
    }
}
