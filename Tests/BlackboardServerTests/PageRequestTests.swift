import BlackboardHTTP
import BlackboardServer
import Testing

/// Paging: reading `limit` and `after`, and cutting a sorted list into pages.
@Suite struct PageRequestTests {
    static let read: [(String?, PageRequest)] = [
        (nil, PageRequest(limit: 100, after: nil)),
        ("", PageRequest(limit: 100, after: nil)),
        ("limit=1", PageRequest(limit: 1, after: nil)),
        ("limit=1000&after=urn%3Ax", PageRequest(limit: 1000, after: "urn:x")),
        ("after=b&limit=7", PageRequest(limit: 7, after: "b")),
        ("after=", PageRequest(limit: 100, after: nil)),
    ]

    @Test(arguments: read)
    func queriesGiveTheirPage(_ query: String?, expected: PageRequest) throws {
        #expect(try PageRequest(query: query) == expected)
    }

    static let refused: [(String, QueryError)] = [
        ("limit=0", .badLimit("0")),
        ("limit=1001", .badLimit("1001")),
        ("limit=-1", .badLimit("-1")),
        ("limit=ten", .badLimit("ten")),
        ("limit=", .badLimit("")),
        ("limit=99999999999999999999999", .badLimit("99999999999999999999999")),
        ("limit=1&limit=2", .repeatedParameter("limit")),
        ("after=a&after=b", .repeatedParameter("after")),
        ("pretty=1", .unknownParameter("pretty")),
        ("after=%", .badEscape("%")),
    ]

    @Test(arguments: refused)
    func badQueriesAreRefused(_ query: String, error: QueryError) {
        #expect(throws: error) { try PageRequest(query: query) }
    }

    private let keys = ["a", "b", "b.c", "c", "urn:x", "urn:y"]

    private func page(_ limit: Int, after: String? = nil) -> Page<String> {
        PageRequest(limit: limit, after: after).page(of: keys, key: { $0 }, row: { $0.uppercased() })
    }

    @Test func aPageHoldsTheRowsAfterTheCursor() {
        #expect(page(2) == Page(rows: ["A", "B"], total: 6, next: "b"))
        #expect(page(2, after: "b") == Page(rows: ["B.C", "C"], total: 6, next: "c"))
        #expect(page(10, after: "c") == Page(rows: ["URN:X", "URN:Y"], total: 6, next: nil))
        #expect(page(2, after: "c") == Page(rows: ["URN:X", "URN:Y"], total: 6, next: nil))
        #expect(page(3, after: "urn:y") == Page(rows: [], total: 6, next: nil))
    }

    @Test func aCursorThatIsNoKeyStartsAtTheNextKey() {
        // Removed between two pages, or never there: the page starts after where it would be.
        #expect(page(1, after: "bb") == Page(rows: ["C"], total: 6, next: "c"))
        #expect(page(1, after: "0") == Page(rows: ["A"], total: 6, next: "a"))
        #expect(page(1, after: "zzz") == Page(rows: [], total: 6, next: nil))
    }

    @Test(arguments: 1...7)
    func walkingNextVisitsEveryRowOnce(limit: Int) {
        var seen: [String] = []
        var after: String?
        var pages = 0
        repeat {
            let current = page(limit, after: after)
            #expect(current.rows.count <= limit)
            seen += current.rows
            after = current.next
            pages += 1
        } while after != nil
        #expect(seen == keys.map { $0.uppercased() })
        #expect(pages == max(1, (keys.count + limit - 1) / limit))
    }

    @Test func anEmptyListIsOneEmptyPage() {
        let empty = PageRequest().page(of: [String](), key: { $0 }, row: { $0 })
        #expect(empty == Page(rows: [], total: 0, next: nil))
    }
}
