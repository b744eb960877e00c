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

    /// The response to a parsed head; `snapshot` is called only for `/stats` and `/metrics`.
    public static func respond(to head: HTTPRequestHead, snapshot: () -> AdminSnapshot) -> HTTPResponse {
        switch head.path {
        case "/healthz": return HTTPResponse(status: .ok, contentType: json, body: "{\"status\":\"ok\"}\n")
        case "/stats": return HTTPResponse(status: .ok, contentType: json, body: AdminRendering.statsJSON(snapshot()))
        case "/metrics": return HTTPResponse(status: .ok, contentType: prometheus, body: AdminRendering.metrics(snapshot()))
        default: return respond(to: .notFound)
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
        case .notFound: message = "no such endpoint; try /healthz, /stats or /metrics"
        }
        var response = HTTPResponse(status: error.status, contentType: json, body: AdminRendering.errorJSON(message))
        if error == .methodNotAllowed { response.extraHeaders = ["Allow: GET, HEAD"] }
        return response
    }

    /// The response to a client that sent no whole head before the deadline.
    public static let timedOut = HTTPResponse(status: .requestTimeout, contentType: json,
                                              body: AdminRendering.errorJSON("no request within the deadline"))
}
