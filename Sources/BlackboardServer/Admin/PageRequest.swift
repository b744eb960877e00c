import BlackboardHTTP

// Paging of the admin listings (`/subscribers`, `/publishers`, `/concepts`,
// `/profile`): keyset paging over a list sorted by its keys.
//
// A request names at most `limit` rows and the key of the last row of the
// previous page (`after`); the page holds the rows whose keys come after it.
// Keys (URIs, profile entries in wire form) are ASCII, sorted byte by byte, so
// `after` need not be a key that still exists: a row removed between two pages
// does not shift the next one. A page's `next` is its last key when more rows
// follow, else nil: a client walks a list by passing `next` as `after` until
// it is nil. Each page is read on the broker's queue in one go; the list may
// change between pages.

/// What page of a listing a request asks for: `?limit=N&after=KEY`.
public struct PageRequest: Equatable, Sendable {
    /// Rows per page when the request gives no `limit`.
    public static let defaultLimit = 100
    /// The largest `limit` accepted.
    public static let maxLimit = 1_000

    /// At most this many rows, 1...``maxLimit``.
    public var limit: Int
    /// Only rows whose keys come after this one (byte order); nil: from the first.
    public var after: String?

    public init(limit: Int = PageRequest.defaultLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }

    /// The page a query string asks for: parameters `limit` and `after`, each at
    /// most once; anything else is refused. An empty `after` means from the first.
    public init(query: String?) throws(QueryError) {
        self.init()
        var seen = Set<String>()
        for parameter in try HTTPQuery.parse(query) {
            guard seen.insert(parameter.name).inserted else { throw .repeatedParameter(parameter.name) }
            switch parameter.name {
            case "limit":
                guard let limit = Int(parameter.value), (1...Self.maxLimit).contains(limit) else {
                    throw .badLimit(parameter.value)
                }
                self.limit = limit
            case "after":
                after = parameter.value.isEmpty ? nil : parameter.value
            default:
                throw .unknownParameter(parameter.name)
            }
        }
    }

    /// The page of `sorted` (ascending by `key`, byte order), its rows built by
    /// `row`: O(log n) probes of `key` to find the start, then `row` for at most
    /// ``limit`` elements.
    public func page<Element, Row>(
        of sorted: [Element], key: (Element) -> String, row: (Element) -> Row
    ) -> Page<Row> {
        var start = 0
        if let after {
            // The first element whose key is not at or before `after`.
            var upper = sorted.count
            while start < upper {
                let middle = (start + upper) / 2
                if !after.utf8.lexicographicallyPrecedes(key(sorted[middle]).utf8) {
                    start = middle + 1
                } else {
                    upper = middle
                }
            }
        }
        let end = min(sorted.count, start + limit)
        let next = end < sorted.count && end > start ? key(sorted[end - 1]) : nil
        return Page(rows: sorted[start..<end].map(row), total: sorted.count, next: next)
    }
}

/// One page of a listing.
public struct Page<Row> {
    /// The rows, in key order.
    public var rows: [Row]
    /// The number of rows in the whole listing, when this page was read.
    public var total: Int
    /// The key to pass as `after` for the next page; nil on the last page.
    public var next: String?

    public init(rows: [Row], total: Int, next: String?) {
        self.rows = rows
        self.total = total
        self.next = next
    }
}

extension Page: Equatable where Row: Equatable {}
extension Page: Sendable where Row: Sendable {}
