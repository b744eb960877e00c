import BlackboardMonitor
import Testing

@Suite struct HTTPRequestTests {
    private func parse(_ text: String) -> HTTPRequest.Parse { HTTPRequest.parse(Array(text.utf8)) }

    @Test func getWithPathAndQuery() {
        let head = "GET /activities/load%2Fstep?workflow=etl&version=ab+cd HTTP/1.1\r\nHost: x\r\n\r\n"
        let expected = HTTPRequest(segments: ["activities", "load/step"], query: ["workflow": "etl", "version": "ab+cd"])
        #expect(parse(head) == .request(expected))
    }

    /// Every prefix of a head is incomplete; the whole is the request, fed at once or split anywhere.
    @Test func everyPrefixIsIncomplete() {
        let bytes = Array("GET /instances?state=running HTTP/1.0\r\nUser-Agent: t\r\n\r\n".utf8)
        for end in 0..<bytes.count {
            #expect(HTTPRequest.parse(Array(bytes[..<end])) == .incomplete, "prefix of \(end) bytes")
        }
        #expect(HTTPRequest.parse(bytes) == .request(HTTPRequest(segments: ["instances"], query: ["state": "running"])))
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", HTTPRequest(segments: [])),
        ("GET /healthz HTTP/1.1\r\n\r\n", HTTPRequest(segments: ["healthz"])),
        ("GET /instances/ HTTP/1.1\r\n\r\n", HTTPRequest(segments: ["instances", ""])),
        ("GET /eta/abc?&&x=1& HTTP/1.1\r\n\r\n", HTTPRequest(segments: ["eta", "abc"], query: ["x": "1"])),
        ("GET /a?flag HTTP/1.1\r\n\r\n", HTTPRequest(segments: ["a"], query: ["flag": ""])),
        ("GET /%C3%A9t%C3%A9 HTTP/1.1\r\n\r\n", HTTPRequest(segments: ["été"])),
    ])
    func targets(head: String, request: HTTPRequest) {
        #expect(parse(head) == .request(request))
    }

    @Test(arguments: [
        ("POST /instances HTTP/1.1\r\n\r\n", 405),
        ("HEAD /instances HTTP/1.1\r\n\r\n", 405),
        ("GET /instances HTTP/2.0\r\n\r\n", 505),
        ("GET /instances\r\n\r\n", 400),
        ("GET instances HTTP/1.1\r\n\r\n", 400),
        ("GET /a b HTTP/1.1\r\n\r\n", 400),
        ("GET /a FTP/1.1\r\n\r\n", 400),
        ("GET /a?x=%zz HTTP/1.1\r\n\r\n", 400),
        ("GET /a?x=%4 HTTP/1.1\r\n\r\n", 400),
        ("GET /a?x=%FF HTTP/1.1\r\n\r\n", 400),
        ("GET /a?x=1&x=2 HTTP/1.1\r\n\r\n", 400),
    ])
    func refusals(head: String, status: Int) {
        guard case let .failure(failure) = parse(head) else {
            Issue.record("accepted \(head)")
            return
        }
        #expect(failure.status.code == status)
    }

    @Test func headsBeyondTheLimitAreRefused() {
        // The admin port's limits (BlackboardHTTP): a request line past 4096 bytes is 414.
        let long = "GET /" + String(repeating: "a", count: HTTPRequest.maxHeadBytes) + " HTTP/1.1\r\n\r\n"
        #expect(parse(long) == .failure(.requestLineTooLong))
        #expect(HTTPResponse(.requestLineTooLong).code == 414)
        let endless = "GET / HTTP/1.1\r\n" + String(repeating: "X-Filler: 1\r\n", count: 1000)
        #expect(parse(endless) == .failure(.headTooLarge))
    }

    @Test func responsesCarryLengthAndAnErrorObject() {
        let text = String(decoding: HTTPResponse(.notFound("no instance 'x'")).bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 28\r\n"))
        #expect(text.hasSuffix("\r\n\r\n{\"error\":\"no instance 'x'\"}\n"))
    }
}
