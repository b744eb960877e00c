import BlackboardHTTP

/// Why an HTTP request got no `200`. ``status`` is the one place these become
/// status codes; the body is always `{"error":"<message>"}`.
public enum HTTPFailure: Error, Equatable, Sendable {
    /// The request line or a header is not well formed.
    case malformed(String)
    /// The head is longer than ``HTTPRequest/maxHeadBytes``.
    case headTooLarge
    /// The request line is longer than `HTTPRequestHead.maxRequestLine`.
    case requestLineTooLong
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
        case .requestLineTooLong: return (414, "URI Too Long")
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
        case .requestLineTooLong: return "request line longer than \(HTTPRequestHead.maxRequestLine) bytes"
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

extension HTTPFailure {
    /// The monitor's failure for a head the shared parser refused.
    init(_ error: HTTPRequestError) {
        switch error {
        case .malformed: self = .malformed("bad request line or header")
        case .methodNotAllowed: self = .methodNotAllowed("other than GET")
        case .requestLineTooLong: self = .requestLineTooLong
        case .headersTooLarge: self = .headTooLarge
        case .versionNotSupported: self = .versionNotSupported
        case .notFound: self = .notFound("no such endpoint")
        case let .badQuery(query): self = .badQuery(Self.message(query))
        }
    }

    /// The sentence for a refused query string or path segment.
    static func message(_ error: QueryError) -> String {
        switch error {
        case let .badEscape(raw): return "bad percent escape in '\(raw)'"
        case let .notUTF8(raw): return "'\(raw)' is not UTF-8 once decoded"
        case let .unknownParameter(name): return "unknown parameter '\(name)'"
        case let .repeatedParameter(name): return "parameter '\(name)' given twice"
        case let .badLimit(value): return "bad limit '\(value)'"
        }
    }
}
