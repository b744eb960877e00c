import BlackboardHTTP
import BlackboardServer
import Testing

/// The query-string parser: splitting, percent-decoding, and what it refuses.
@Suite struct HTTPQueryTests {
    static let parsed: [(String?, [QueryParameter])] = [
        (nil, []),
        ("", []),
        ("limit=5", [QueryParameter("limit", "5")]),
        ("limit=5&after=urn:a", [QueryParameter("limit", "5"), QueryParameter("after", "urn:a")]),
        ("after=urn%3Aa%2Fb", [QueryParameter("after", "urn:a/b")]),
        ("after=%e2%86%92x", [QueryParameter("after", "→x")]),
        ("a%3Db=c%26d", [QueryParameter("a=b", "c&d")]),
        ("after=a+b", [QueryParameter("after", "a+b")]),
        ("after=a%20b", [QueryParameter("after", "a b")]),
        ("flag", [QueryParameter("flag", "")]),
        ("after=", [QueryParameter("after", "")]),
        ("x=1=2", [QueryParameter("x", "1=2")]),
        ("&a=1&&b=2&", [QueryParameter("a", "1"), QueryParameter("b", "2")]),
        ("=v", [QueryParameter("", "v")]),
    ]

    @Test(arguments: parsed)
    func queriesSplitAndDecode(_ query: String?, expected: [QueryParameter]) throws {
        #expect(try HTTPQuery.parse(query) == expected)
    }

    static let refused: [(String, QueryError)] = [
        ("after=%", .badEscape("%")),
        ("after=ab%4", .badEscape("ab%4")),
        ("after=%G1", .badEscape("%G1")),
        ("a%zz=1", .badEscape("a%zz")),
        ("after=%ff", .notUTF8("%ff")),
        ("after=%c3", .notUTF8("%c3")),
    ]

    @Test(arguments: refused)
    func badEscapesAreRefused(_ query: String, error: QueryError) {
        #expect(throws: error) { try HTTPQuery.parse(query) }
    }
}
