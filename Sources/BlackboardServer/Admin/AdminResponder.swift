import BlackboardHTTP

/// One HTTP/1.1 response of the admin port; always `Connection: close`.
public struct HTTPResponse: Equatable, Sendable {
    public var status: HTTPStatus
    public var contentType: String
    public var body: String
    /// Extra header lines, without CRLF (`Allow: GET, HEAD` for 405).
    public var extraHeaders: [String] = []

    /// The response as bytes; with `headOnly` (a `HEAD` request) the body is left
    /// out but `Content-Length` still gives its length.
    public func encoded(headOnly: Bool = false) -> [UInt8] {
        let bodyBytes = Array(body.utf8)
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        head += "Content-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\n"
        for line in extraHeaders { head += line + "\r\n" }
        head += "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + (headOnly ? [] : bodyBytes)
    }
}

/// Maps a request (or a parse failure) to its response. Pure.
public enum AdminResponder {
    static let json = "application/json"
    static let prometheus = "text/plain; version=0.0.4; charset=utf-8"

    /// The response to a parsed head, reading what it needs from `source`. The
    /// listings take a page (`?limit=N&after=KEY`, PageRequest.swift); the other
    /// endpoints ignore the query string.
    public static func respond(to head: HTTPRequestHead, from source: some AdminSource) -> HTTPResponse {
        func ok(_ body: String, _ contentType: String = json) -> HTTPResponse {
            HTTPResponse(status: .ok, contentType: contentType, body: body)
        }
        func page() throws(QueryError) -> PageRequest { try PageRequest(query: head.query) }
        do throws(QueryError) {
            switch head.path {
            case "/healthz":
                let failure = source.storageFailure
                let body = AdminRendering.healthJSON(storageFailure: failure)
                return HTTPResponse(status: failure == nil ? .ok : .serviceUnavailable, contentType: json, body: body)
            case "/stats": return ok(AdminRendering.statsJSON(source.snapshot()))
            case "/metrics": return ok(AdminRendering.metrics(source.snapshot()), prometheus)
            case "/subscribers": return ok(AdminRendering.subscribersJSON(source.subscribers(try page())))
            case "/publishers": return ok(AdminRendering.publishersJSON(source.publishers(try page())))
            case "/concepts": return ok(AdminRendering.conceptsJSON(source.concepts(try page())))
            case "/profile": return ok(AdminRendering.profileJSON(source.profile(try page())))
            default: return respond(to: .notFound)
            }
        } catch {
            return respond(to: .badQuery(error))
        }
    }

    /// The response to a refused request: the error's status and a JSON error body.
    public static func respond(to error: HTTPRequestError) -> HTTPResponse {
        let message: String
        switch error {
        case .malformed: message = "malformed request"
        case .methodNotAllowed: message = "only GET and HEAD are allowed"
        case .requestLineTooLong: message = "request line longer than \(HTTPRequestHead.maxRequestLine) bytes"
        case .headersTooLarge: message = "request head longer than \(HTTPRequestHead.maxHeadBytes) bytes"
        case .versionNotSupported: message = "only HTTP/1.0 and HTTP/1.1 are supported"
        case .notFound:
            message = "no such endpoint; try /healthz, /stats, /metrics, /subscribers, /publishers, /concepts or /profile"
        case let .badQuery(reason): message = Self.message(for: reason)
        }
        var response = HTTPResponse(status: error.status, contentType: json, body: AdminRendering.errorJSON(message))
        if error == .methodNotAllowed { response.extraHeaders = ["Allow: GET, HEAD"] }
        return response
    }

    /// What a refused query string is told.
    private static func message(for error: QueryError) -> String {
        switch error {
        case let .badEscape(text): return "bad percent-escape in query parameter '\(text)': '%' must be followed by two hex digits"
        case let .notUTF8(text): return "query parameter '\(text)' does not decode to UTF-8"
        case let .unknownParameter(name): return "unknown query parameter '\(name)'; this endpoint takes limit and after"
        case let .repeatedParameter(name): return "query parameter '\(name)' given more than once"
        case let .badLimit(value): return "limit must be a whole number from 1 to \(PageRequest.maxLimit), not '\(value)'"
        }
    }

    /// The response to a client that sent no whole head before the deadline.
    public static let timedOut = HTTPResponse(status: .requestTimeout, contentType: json,
                                              body: AdminRendering.errorJSON("no request within the deadline"))
}
