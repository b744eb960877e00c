/// A whole HTTP/1.1 response with a JSON body; the connection closes after it.
public struct HTTPResponse: Equatable, Sendable {
    /// The status code.
    public let code: Int
    /// The reason phrase.
    public let reason: String
    /// The JSON body, without its trailing newline.
    public let body: [UInt8]

    /// `200 OK` with `body`.
    public init(_ body: JSONValue) {
        code = 200
        reason = "OK"
        self.body = body.encoded()
    }

    /// The failure's status with `{"error":"<message>"}`.
    public init(_ failure: HTTPFailure) {
        (code, reason) = failure.status
        body = JSONValue.object(["error": .string(failure.message)]).encoded()
    }

    /// Status line, headers, blank line and body (plus a newline, for terminals).
    public var bytes: [UInt8] {
        let payload = body + [0x0A]
        let head = "HTTP/1.1 \(code) \(reason)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(payload.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + payload
    }
}
