/// Why an admin request could not be served. Each case maps to exactly one
/// HTTP status in ``status``: the one place where request errors become statuses.
public enum HTTPRequestError: Error, Equatable, Sendable {
    /// The request line or a header line is not well formed.
    case malformed
    /// A method other than `GET` or `HEAD`.
    case methodNotAllowed
    /// The request line is longer than ``HTTPRequestHead/maxRequestLine``.
    case requestLineTooLong
    /// The head is longer than ``HTTPRequestHead/maxHeadBytes``.
    case headersTooLarge
    /// An HTTP version other than 1.0 or 1.1.
    case versionNotSupported
    /// A well-formed request for a path the admin port does not serve.
    case notFound
    /// A query string the endpoint cannot use (``QueryError`` says why).
    case badQuery(QueryError)

    /// The status answered for this error.
    public var status: HTTPStatus {
        switch self {
        case .malformed: return .badRequest
        case .methodNotAllowed: return .methodNotAllowed
        case .requestLineTooLong: return .uriTooLong
        case .headersTooLarge: return .headersTooLarge
        case .versionNotSupported: return .versionNotSupported
        case .notFound: return .notFound
        case .badQuery: return .badRequest
        }
    }
}

/// The statuses the admin port answers with.
public struct HTTPStatus: Equatable, Sendable {
    public let code: Int
    public let reason: String

    public static let ok = HTTPStatus(code: 200, reason: "OK")
    public static let badRequest = HTTPStatus(code: 400, reason: "Bad Request")
    public static let unauthorized = HTTPStatus(code: 401, reason: "Unauthorized")
    public static let forbidden = HTTPStatus(code: 403, reason: "Forbidden")
    public static let notFound = HTTPStatus(code: 404, reason: "Not Found")
    public static let methodNotAllowed = HTTPStatus(code: 405, reason: "Method Not Allowed")
    public static let requestTimeout = HTTPStatus(code: 408, reason: "Request Timeout")
    public static let uriTooLong = HTTPStatus(code: 414, reason: "URI Too Long")
    public static let headersTooLarge = HTTPStatus(code: 431, reason: "Request Header Fields Too Large")
    public static let serviceUnavailable = HTTPStatus(code: 503, reason: "Service Unavailable")
    public static let versionNotSupported = HTTPStatus(code: 505, reason: "HTTP Version Not Supported")
}

/// A parsed HTTP/1.x request head: the admin port serves `GET` and `HEAD` only,
/// one request per connection, so nothing beyond the method, path and query is
/// kept. Pure: no I/O; the broker feeds it what it has read so far.
public struct HTTPRequestHead: Equatable, Sendable {
    /// Longest request line, CRLF excluded.
    public static let maxRequestLine = 4096
    /// Longest head (request line, headers and the blank line).
    public static let maxHeadBytes = 8192

    /// `GET` or `HEAD`.
    public let method: String
    /// The target's path, without any query string.
    public let path: String
    /// The target's query string as sent (after the first `?`, still percent-encoded);
    /// nil when the target has no `?`. Read it with ``HTTPQuery/parse(_:)``.
    public let query: String?
    /// The value of the `Authorization` header, without surrounding blanks; nil when absent.
    public private(set) var authorization: String?

    public init(method: String, path: String, query: String? = nil, authorization: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.authorization = authorization
    }

    /// A `HEAD` request: answer with the headers of the `GET` and no body.
    public var isHead: Bool { method == "HEAD" }

    /// What a parse of the bytes read so far found.
    public enum Outcome: Equatable, Sendable {
        /// More bytes are needed (and the limits are not yet reached).
        case incomplete
        /// A whole, acceptable head.
        case request(HTTPRequestHead)
        /// A head that must be refused.
        case failure(HTTPRequestError)
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), space = UInt8(ascii: " ")

    /// Parses the head at the start of `bytes` (everything read so far).
    public static func parse(_ bytes: [UInt8]) -> Outcome {
        guard let lineEnd = crlf(in: bytes, from: 0) else {
            if bytes.count > maxRequestLine + 1 { return .failure(.requestLineTooLong) }
            // A bare LF ends a line too early: refuse it rather than wait forever.
            return bytes.contains(lf) ? .failure(.malformed) : .incomplete
        }
        if lineEnd > maxRequestLine { return .failure(.requestLineTooLong) }
        var head: HTTPRequestHead
        switch requestLine(bytes[0..<lineEnd]) {
        case let .success(parsed): head = parsed
        case let .failure(error): return .failure(error)
        }
        var start = lineEnd + 2
        while true {
            guard let end = crlf(in: bytes, from: start) else {
                if bytes.count > maxHeadBytes { return .failure(.headersTooLarge) }
                return bytes[start...].contains(lf) ? .failure(.malformed) : .incomplete
            }
            if end + 2 > maxHeadBytes { return .failure(.headersTooLarge) }
            if end == start { break }
            guard isHeaderLine(bytes[start..<end]) else { return .failure(.malformed) }
            if let value = authorizationValue(bytes[start..<end]) { head.authorization = value }
            start = end + 2
        }
        return .request(head)
    }

    /// The index of the first CRLF at or after `start`.
    private static func crlf(in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == cr && bytes[index + 1] == lf { return index }
            index += 1
        }
        return nil
    }

    /// `METHOD SP target SP HTTP/1.x`, checked in the order of its parts.
    private static func requestLine(_ line: ArraySlice<UInt8>) -> Result<HTTPRequestHead, HTTPRequestError> {
        let parts = line.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
              let first = parts[1].first, first == UInt8(ascii: "/"),
              parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return .failure(.malformed) }
        let version = Array(parts[2])
        guard version.count == 8, version.starts(with: Array("HTTP/".utf8)),
              isDigit(version[5]), version[6] == UInt8(ascii: "."), isDigit(version[7])
        else { return .failure(.malformed) }
        guard version[5] == UInt8(ascii: "1"), version[7] == UInt8(ascii: "0") || version[7] == UInt8(ascii: "1") else {
            return .failure(.versionNotSupported)
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        guard method == "GET" || method == "HEAD" else { return .failure(.methodNotAllowed) }
        let target = parts[1]
        guard let mark = target.firstIndex(of: UInt8(ascii: "?")) else {
            return .success(HTTPRequestHead(method: method, path: String(decoding: target, as: UTF8.self)))
        }
        return .success(HTTPRequestHead(method: method, path: String(decoding: target[..<mark], as: UTF8.self),
                                        query: String(decoding: target[(mark + 1)...], as: UTF8.self)))
    }

    /// The value of an `Authorization:` header line (name case-insensitive), trimmed.
    private static func authorizationValue(_ line: ArraySlice<UInt8>) -> String? {
        let name = Array("authorization:".utf8)
        guard line.count >= name.count,
              zip(line.prefix(name.count), name).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 })
        else { return nil }
        let value = line.dropFirst(name.count).drop { $0 == space || $0 == 0x09 }
        let trimmed = value.reversed().drop { $0 == space || $0 == 0x09 }.reversed()
        return String(decoding: trimmed, as: UTF8.self)
    }

    /// `name: value`, the name a non-empty token (no space before the colon).
    private static func isHeaderLine(_ line: ArraySlice<UInt8>) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return false }
        return line[..<colon].allSatisfy(isTokenByte)
            && line[(colon + 1)...].allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x30...0x39: return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
