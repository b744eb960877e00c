/// Why an admin request failed; ``AdminError/status`` is the exit status.
enum AdminError: Error, CustomStringConvertible {
    /// The admin port could not be reached, or the connection broke or timed out.
    case unreachable(endpoint: String, reason: String)
    /// The broker answered with an error status (`{"error":…}` in the body).
    case refused(endpoint: String, status: Int, message: String)
    /// The answer is not the HTTP or JSON the admin port sends.
    case malformed(endpoint: String, reason: String)

    var description: String {
        switch self {
        case let .unreachable(endpoint, reason): return "cannot reach the admin port at \(endpoint): \(reason)"
        case let .refused(endpoint, status, message): return "\(endpoint): the admin port answered \(status): \(message)"
        case let .malformed(endpoint, reason): return "\(endpoint): unexpected answer from the admin port: \(reason)"
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
