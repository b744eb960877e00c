import Foundation

/// GETs from the daemon's admin port over a raw socket.
struct AdminClient {
    /// One HTTP answer.
    struct Answer {
        let status: Int
        let head: String
        let body: String
    }

    let port: UInt16

    /// Sends `GET path` and reads until the daemon closes the connection.
    func get(_ path: String) throws -> Answer {
        let client = try RawClient(port: port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let text = try client.expectClosed()
        guard let split = text.range(of: "\r\n\r\n") else { throw TestFailure("no head in: \(text)") }
        let head = String(text[..<split.lowerBound])
        guard let status = head.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw TestFailure("no status in: \(head)")
        }
        return Answer(status: status, head: head, body: String(text[split.upperBound...]))
    }

    /// The integer `"key":N` in a flat stretch of JSON.
    static func number(_ key: String, in json: String) -> UInt64? {
        guard let range = json.range(of: "\"\(key)\":") else { return nil }
        return UInt64(json[range.upperBound...].prefix { $0.isNumber })
    }
}

/// A path in the temporary directory, removed with everything under it when
/// the value goes away. Nothing is created: daemons make their data directory.
final class TemporaryPath {
    let path: String

    init(_ prefix: String = "blackboard-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
