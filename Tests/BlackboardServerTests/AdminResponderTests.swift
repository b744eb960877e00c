import BlackboardHTTP
import BlackboardServer
import Testing

/// A source with known contents, standing in for the broker.
struct FixedAdminSource: AdminSource {
    var storageFailure: String?
    var fixedSnapshot = AdminSnapshot()
    var subscriberRows: [SubscriberRow] = []
    var publisherRows: [PublisherRow] = []
    var conceptRows: [ConceptRow] = []
    var profileVersion: UInt64 = 0

    func snapshot() -> AdminSnapshot { fixedSnapshot }

    func subscribers(_ request: PageRequest) -> Page<SubscriberRow> {
        request.page(of: subscriberRows, key: \.registration.uri, row: { $0 })
    }

    func publishers(_ request: PageRequest) -> Page<PublisherRow> {
        request.page(of: publisherRows, key: \.registration.uri, row: { $0 })
    }

    func concepts(_ request: PageRequest) -> Page<ConceptRow> {
        request.page(of: conceptRows, key: \.entry, row: { $0 })
    }

    func profile(_ request: PageRequest) -> ProfilePage {
        ProfilePage(version: profileVersion, entries: request.page(of: conceptRows.map(\.entry), key: { $0 }, row: { $0 }))
    }
}

/// Path and query to response, against a fixed source.
@Suite struct AdminResponderTests {
    private func get(_ target: String, _ source: FixedAdminSource = FixedAdminSource()) -> HTTPResponse {
        let text = "GET \(target) HTTP/1.1\r\n\r\n"
        guard case let .request(head) = HTTPRequestHead.parse(Array(text.utf8)) else {
            Issue.record("\(target) did not parse")
            return AdminResponder.respond(to: .malformed)
        }
        return AdminResponder.respond(to: head, from: source)
    }

    @Test func healthzIsOKUntilStorageFails() {
        let healthy = get("/healthz")
        #expect(healthy.status == .ok && healthy.body == "{\"status\":\"ok\"}\n")
        let failed = get("/healthz", FixedAdminSource(storageFailure: "journal fsync: \"EIO\""))
        #expect(failed.status == .serviceUnavailable)
        #expect(failed.contentType == "application/json")
        #expect(failed.body == #"{"status":"storage_failed","error":"journal fsync: \"EIO\""}"# + "\n")
    }

    @Test func listingsArePagedByTheirQuery() {
        let source = FixedAdminSource(conceptRows: [ConceptRow(entry: "a", subscribers: 1),
                                                    ConceptRow(entry: "b.>", subscribers: 2)], profileVersion: 4)
        #expect(get("/concepts?limit=1", source).body
            == #"{"concepts":[{"entry":"a","subscribers":1}],"total":2,"next":"a"}"# + "\n")
        #expect(get("/concepts?limit=1&after=a", source).body
            == #"{"concepts":[{"entry":"b.>","subscribers":2}],"total":2,"next":null}"# + "\n")
        #expect(get("/profile?after=a", source).body == #"{"version":4,"entries":["b.>"],"total":2,"next":null}"# + "\n")
        #expect(get("/subscribers", source).body == #"{"subscribers":[],"total":0,"next":null}"# + "\n")
        #expect(get("/publishers", source).body == #"{"publishers":[],"total":0,"next":null}"# + "\n")
    }

    static let badQueries: [(String, String)] = [
        ("/subscribers?limit=0", "limit must be a whole number from 1 to 1000, not '0'"),
        ("/publishers?limit=x", "limit must be a whole number from 1 to 1000, not 'x'"),
        ("/concepts?sort=desc", "unknown query parameter 'sort'; this endpoint takes limit and after"),
        ("/profile?after=a&after=b", "query parameter 'after' given more than once"),
        ("/subscribers?after=%2", "bad percent-escape in query parameter '%2': '%' must be followed by two hex digits"),
        ("/subscribers?after=%80", "query parameter '%80' does not decode to UTF-8"),
    ]

    @Test(arguments: badQueries)
    func badQueriesAre400WithTheReason(_ target: String, message: String) {
        let response = get(target)
        #expect(response.status == .badRequest)
        #expect(response.body == AdminRendering.errorJSON(message))
    }

    @Test func endpointsWithoutPagesIgnoreTheQuery() {
        #expect(get("/stats?pretty=1&%zz").status == .ok)
        #expect(get("/metrics?x").status == .ok)
        #expect(get("/healthz?").status == .ok)
    }

    @Test func methodNotAllowedSaysWhatIsAllowed() {
        let response = AdminResponder.respond(to: .methodNotAllowed)
        let text = String(decoding: response.encoded(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
        #expect(text.contains("\r\nAllow: GET, HEAD\r\n"))
        #expect(text.contains("\r\nConnection: close\r\n"))
    }

    @Test func headAnswersHaveNoBodyButItsLength() {
        let head = HTTPRequestHead(method: "HEAD", path: "/subscribers")
        let response = AdminResponder.respond(to: head, from: FixedAdminSource())
        let text = String(decoding: response.encoded(headOnly: true), as: UTF8.self)
        #expect(text.hasSuffix("\r\n\r\n"))
        #expect(text.contains("Content-Length: \(response.body.utf8.count)\r\n"))
    }

    @Test func unknownPathsAre404AndNameTheEndpoints() {
        let response = get("/nope")
        #expect(response.status == .notFound)
        for path in ["/healthz", "/stats", "/metrics", "/subscribers", "/publishers", "/concepts", "/profile"] {
            #expect(response.body.contains(path))
        }
    }
}
