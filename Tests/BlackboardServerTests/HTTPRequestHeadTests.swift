import BlackboardHTTP
import BlackboardServer
import Testing

/// The admin port's request-head parser, table-driven.
@Suite struct HTTPRequestHeadTests {
    static let accepted: [(String, HTTPRequestHead)] = [
        ("GET /stats HTTP/1.1\r\nHost: x\r\n\r\n", HTTPRequestHead(method: "GET", path: "/stats")),
        ("GET /healthz HTTP/1.0\r\n\r\n", HTTPRequestHead(method: "GET", path: "/healthz")),
        ("HEAD /metrics HTTP/1.1\r\nUser-Agent: curl/8\r\nAccept: */*\r\n\r\n", HTTPRequestHead(method: "HEAD", path: "/metrics")),
        ("GET /stats?pretty=1&x HTTP/1.1\r\n\r\n", HTTPRequestHead(method: "GET", path: "/stats", query: "pretty=1&x")),
        ("GET /subscribers?after=urn%3Aa?b HTTP/1.1\r\n\r\n",
         HTTPRequestHead(method: "GET", path: "/subscribers", query: "after=urn%3Aa?b")),
        ("GET /profile? HTTP/1.1\r\n\r\n", HTTPRequestHead(method: "GET", path: "/profile", query: "")),
        ("GET / HTTP/1.1\r\nX-Empty:\r\n\r\n", HTTPRequestHead(method: "GET", path: "/")),
        ("GET /stats HTTP/1.1\r\nauthorization:  Bearer a.b \r\n\r\n",
         HTTPRequestHead(method: "GET", path: "/stats", authorization: "Bearer a.b")),
        ("GET /stats HTTP/1.1\r\nAuthorization: Basic YTpi\r\nX-Authorization: no\r\n\r\n",
         HTTPRequestHead(method: "GET", path: "/stats", authorization: "Basic YTpi")),
    ]

    @Test(arguments: accepted)
    func goodRequestsParse(_ text: String, head: HTTPRequestHead) {
        #expect(HTTPRequestHead.parse(Array(text.utf8)) == .request(head))
    }

    static let refused: [(String, HTTPRequestError, Int)] = [
        ("garbage\r\n\r\n", .malformed, 400),
        ("GET  /stats HTTP/1.1\r\n\r\n", .malformed, 400),
        ("GET stats HTTP/1.1\r\n\r\n", .malformed, 400),
        ("GET /stats HTTP/1.1 extra\r\n\r\n", .malformed, 400),
        ("GET /stats FTP/1.1\r\n\r\n", .malformed, 400),
        ("GET /stats HTTP/1.1\n\n", .malformed, 400),
        ("GET /stats HTTP/1.1\r\nno colon here\r\n\r\n", .malformed, 400),
        ("GET /stats HTTP/1.1\r\n: empty name\r\n\r\n", .malformed, 400),
        ("GET /stats HTTP/1.1\r\nBad Name: x\r\n\r\n", .malformed, 400),
        ("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", .methodNotAllowed, 405),
        ("DELETE /stats HTTP/1.1\r\n\r\n", .methodNotAllowed, 405),
        ("GET /stats HTTP/2.0\r\n\r\n", .versionNotSupported, 505),
        ("GET /stats HTTP/1.2\r\n\r\n", .versionNotSupported, 505),
        ("GET /" + String(repeating: "a", count: 5000) + " HTTP/1.1\r\n\r\n", .requestLineTooLong, 414),
        ("GET /" + String(repeating: "a", count: 5000), .requestLineTooLong, 414),
        ("GET / HTTP/1.1\r\n" + String(repeating: "X-A: 0123456789\r\n", count: 600) + "\r\n", .headersTooLarge, 431),
        ("GET / HTTP/1.1\r\n" + String(repeating: "X-A: 0123456789\r\n", count: 600), .headersTooLarge, 431),
    ]

    @Test(arguments: refused)
    func badRequestsAreRefusedWithTheirStatus(_ text: String, error: HTTPRequestError, status: Int) {
        #expect(HTTPRequestHead.parse(Array(text.utf8)) == .failure(error))
        #expect(error.status.code == status)
    }

    @Test(arguments: ["", "GET", "GET /stats HTTP/1.1", "GET /stats HTTP/1.1\r", "GET /stats HTTP/1.1\r\n",
                      "GET /stats HTTP/1.1\r\nHost: x\r\n", "GET /stats HTTP/1.1\r\nHost: x\r\n\r"])
    func partialHeadsWaitForMore(_ text: String) {
        #expect(HTTPRequestHead.parse(Array(text.utf8)) == .incomplete)
    }
}
