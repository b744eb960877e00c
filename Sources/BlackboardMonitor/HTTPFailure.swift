/// Why an HTTP request got no `200`. ``status`` is the one place these become
/// status codes; the body is always `{"error":"<message>"}`.
public enum HTTPFailure: Error, Equatable, Sendable {
    /// The request line or a header is not well formed.
    case malformed(String)
    /// The head is longer than ``HTTPRequest/maxHeadBytes``.
    case headTooLarge
    /// A method other than `GET`.
    case methodNotAllowed(String)
    /// An HTTP version other than 1.0 or 1.1.
    case versionNotSupported
    /// No such endpoint, instance or activity.
    case notFound(String)
    /// A query parameter the endpoint does not take, or a value it cannot use.
    case badQuery(String)
    /// The whole head did not arrive within the read timeout.
    case timeout
    /// Too many connections are being served.
    case busy
    /// The store failed (e.g. a SQLite error).
    case internalError(String)

    /// The status code and reason phrase.
    public var status: (code: Int, reason: String) {
        switch self {
        case .malformed, .badQuery: return (400, "Bad Request")
        case .notFound: return (404, "Not Found")
        case .methodNotAllowed: return (405, "Method Not Allowed")
        case .timeout: return (408, "Request Timeout")
        case .headTooLarge: return (431, "Request Header Fields Too Large")
        case .internalError: return (500, "Internal Server Error")
        case .busy: return (503, "Service Unavailable")
        case .versionNotSupported: return (505, "HTTP Version Not Supported")
        }
    }

    /// The sentence in the `error` field.
    public var message: String {
        switch self {
        case let .malformed(detail): return "malformed request: \(detail)"
        case .headTooLarge: return "request head longer than \(HTTPRequest.maxHeadBytes) bytes"
        case let .methodNotAllowed(method): return "method \(method) not allowed: only GET"
        case .versionNotSupported: return "only HTTP/1.0 and HTTP/1.1"
        case let .notFound(detail): return detail
        case let .badQuery(detail): return detail
        case .timeout: return "no complete request in time"
        case .busy: return "too many connections; try again"
        case let .internalError(detail): return detail
        }
    }
}
