import Foundation

/// One HTTP exchange with the daemon's admin port, over a raw socket.
struct AdminAnswer {
    let status: Int
    let head: String
    let body: String

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(body)")
        }
        return object
    }
}

enum AdminHTTP {
    /// Sends `request` as is and reads until the daemon closes.
    static func exchange(_ port: UInt16, _ request: String) throws -> AdminAnswer {
        let client = try RawClient(port: port)
        try client.send(request)
        let text = try client.expectClosed()
        guard let split = text.range(of: "\r\n\r\n") else { throw TestFailure("no head in: \(text)") }
        let head = String(text[..<split.lowerBound])
        guard let status = head.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw TestFailure("no status in: \(head)")
        }
        return AdminAnswer(status: status, head: head, body: String(text[split.upperBound...]))
    }

    /// `GET target`.
    static func get(_ port: UInt16, _ target: String) throws -> AdminAnswer {
        try exchange(port, "GET \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n")
    }

    /// The JSON object of `GET target`, which must answer 200.
    static func object(_ port: UInt16, _ target: String) throws -> [String: Any] {
        let answer = try get(port, target)
        guard answer.status == 200 else { throw TestFailure("\(target) answered \(answer.status): \(answer.body)") }
        return try answer.object()
    }

    /// `/stats`, its numbers by key (the `storage` and `protocol_errors` objects left out).
    static func stats(_ port: UInt16) throws -> [String: Int64] {
        var numbers: [String: Int64] = [:]
        for (key, value) in try object(port, "/stats") {
            if let number = value as? NSNumber, !(value is String) { numbers[key] = number.int64Value }
        }
        return numbers
    }

    /// Every row of a paged listing, walking `next` with `limit` rows a page;
    /// also returns how many pages it took and the `total` of each.
    static func walk(_ port: UInt16, _ path: String, rowsKey: String, limit: Int) throws
        -> (rows: [Any], pages: Int, totals: Set<Int>) {
        var rows: [Any] = [], pages = 0, totals = Set<Int>()
        var after: String?
        repeat {
            let query = "?limit=\(limit)" + (after.map { "&after=" + percentEncoded($0) } ?? "")
            let page = try object(port, path + query)
            guard let pageRows = page[rowsKey] as? [Any], let total = page["total"] as? Int else {
                throw TestFailure("\(path)\(query): no \(rowsKey) or total in \(page)")
            }
            if pageRows.count > limit { throw TestFailure("\(path)\(query): \(pageRows.count) rows") }
            rows += pageRows
            totals.insert(total)
            pages += 1
            after = page["next"] as? String
            if pages > 1_000 { throw TestFailure("\(path): no end after 1000 pages") }
        } while after != nil
        return (rows, pages, totals)
    }

    /// Every byte but the unreserved ones as %XX.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
