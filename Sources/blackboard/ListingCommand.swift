import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The options of `blackboard subscribers` and `blackboard publishers`.
struct ListingOptions: ParsableArguments {
    @Flag(help: "Print the rows as one JSON object, {\"NAME\":[row,…],\"total\":N}, keys sorted.")
    var json = false

    @Option(help: "Show at most this many rows (default: all).")
    var limit: Int?

    @Option(name: .customLong("page-size"), help: "Rows asked for per request, 1-1000.")
    var pageSize = 1_000

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if !(1...1_000).contains(pageSize) { throw ValidationError("--page-size must be from 1 to 1000") }
    }
}

/// A command that lists a paged admin endpoint as a table: it fetches the
/// pages (`?limit=…&after=…`) until `next` is null or `--limit` rows are in.
/// The listing may change between pages; each row is still listed at most once.
protocol ListingCommand: ParsableCommand {
    var admin: AdminOptions { get }
    var listing: ListingOptions { get }
    /// The endpoint's path and the key its rows are under (`subscribers`).
    static var name: String { get }
    /// What one row is (`subscriber`).
    static var singular: String { get }
    /// The column headings after URI, STATE, ADDRESS and LEASE.
    static var headings: [String] { get }
    /// The cells of `row` under ``headings``.
    static func cells(_ row: [String: Any]) -> [String]
}

extension ListingCommand {
    func run() throws {
        try ExitStatus.guarding {
            let (rows, total) = try Self.fetch(admin.client(), pageSize: listing.pageSize, limit: listing.limit)
            if listing.json {
                Terminal.write(JSONText.encode([Self.name: rows, "total": total] as [String: Any]))
                return
            }
            for line in Self.table(rows, total: total, now: Self.epochMilliseconds()) { Terminal.writeLine(line) }
        }
    }

    /// Every row, or the first `limit`, and the listing's total, `pageSize` rows a request.
    static func fetch(_ client: AdminClient, pageSize: Int, limit: Int?) throws(AdminError)
        -> (rows: [[String: Any]], total: Int) {
        var rows: [[String: Any]] = []
        var total = 0
        var after: String?
        repeat {
            let query = "?limit=\(min(pageSize, (limit ?? .max) - rows.count))" + (after.map { "&after=" + AdminClient.queryValue($0) } ?? "")
            let page = try client.object("/\(name)" + query)
            guard let pageRows = page[name] as? [[String: Any]], let count = JSONText.integer(page["total"]) else {
                throw .malformed(service: client.service, endpoint: client.endpoint, reason: "/\(name) has no \(name) array or no total")
            }
            rows += pageRows
            total = Int(count)
            after = page["next"] as? String
        } while after != nil && rows.count < (limit ?? .max)
        return (rows, total)
    }

    /// The table, then a summary line (`2 subscribers: 1 connected, 1 away`).
    static func table(_ rows: [[String: Any]], total: Int, now: Int64) -> [String] {
        let noun = name
        guard !rows.isEmpty else { return ["no \(noun)"] }
        var table = TextTable([.left, .left, .left, .right] + headings.map { _ in .right })
        table.append(["URI", "STATE", "ADDRESS", "LEASE"] + headings)
        var connected = 0
        for row in rows {
            let isConnected = row["state"] as? String == "connected"
            if isConnected { connected += 1 }
            var state = JSONText.scalar(row["state"])
            if !isConnected, let expires = JSONText.integer(row["expires_at"]) {
                state += " (\(max(0, expires - now + 999) / 1_000)s left)"
            }
            let lease = JSONText.integer(row["lease_seconds"]).map { $0 == 0 ? "-" : "\($0)s" } ?? "-"
            table.append([JSONText.scalar(row["uri"]), state, JSONText.scalar(row["address"]), lease] + cells(row))
        }
        let shown = rows.count < total
            ? "showing \(rows.count) of \(total) \(noun)"
            : "\(rows.count) \(rows.count == 1 ? singular : noun)"
        let summary = "\(shown): \(connected) connected, \(rows.count - connected) away"
        return table.lines + [summary]
    }

    /// Now, in ms since the Unix epoch (the admin port's times).
    static func epochMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
    }
}
