import Foundation
import Testing

/// The admin port of the real daemon, over raw sockets.
@Suite struct AdminPortTests {
    /// One HTTP exchange: sends `request`, reads until the daemon closes.
    struct Answer {
        let status: Int
        let head: String
        let body: String
    }

    private func exchange(_ port: UInt16, _ request: String) throws -> Answer {
        let client = try RawClient(port: port)
        try client.send(request)
        let text = try client.expectClosed()
        guard let split = text.range(of: "\r\n\r\n") else { throw TestFailure("no head in: \(text)") }
        let head = String(text[..<split.lowerBound])
        guard let status = head.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw TestFailure("no status in: \(head)")
        }
        return Answer(status: status, head: head, body: String(text[split.upperBound...]))
    }

    private func get(_ port: UInt16, _ path: String) throws -> Answer {
        try exchange(port, "GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
    }

    /// The integer `"key":N` in a flat stretch of JSON.
    private func number(_ key: String, in json: String) -> UInt64? {
        guard let range = json.range(of: "\"\(key)\":") else { return nil }
        return UInt64(json[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func healthzAnswersOK() throws {
        let daemon = try Daemon.start()
        let answer = try get(daemon.adminPort, "/healthz")
        #expect(answer.status == 200)
        #expect(answer.head.contains("Content-Type: application/json"))
        #expect(answer.head.contains("Connection: close"))
        #expect(answer.body == "{\"status\":\"ok\"}\n")
        #expect(try daemon.stop() == 0)
    }

    @Test func statsCountWhatWasPublishedAndDelivered() throws {
        let daemon = try Daemon.start()
        let subscriber = try RawClient(port: daemon.port)
        try subscriber.send(profileFrame("SUB", ["wanted"]))
        #expect(try subscriber.readReply().isOK("SUB"))
        let publisher = try RawClient(port: daemon.port)
        try publisher.send(pub(("wanted", "1"), ("unwanted", "x")) + pub(("wanted", "2")) + pub(("nobody", "y")) + "PING\r\n")
        _ = try publisher.readReply { $0 == .pong }
        for _ in 0..<2 { _ = try subscriber.readReply { $0.delivery != nil } }
        try subscriber.send("NOPE\r\n")
        _ = try subscriber.readReply { $0.errorCode == "unknown_verb" }

        let json = try get(daemon.adminPort, "/stats").body
        #expect(json.hasPrefix("{\"version\":"))
        #expect(number("messages_in", in: json) == 3)
        #expect(number("pairs_in", in: json) == 4)
        #expect(number("deliveries", in: json) == 2)
        #expect(number("pairs_out", in: json) == 2)
        #expect(number("pairs_filtered", in: json) == 2)
        #expect(number("connections_open", in: json) == 2)
        #expect(number("subscribers", in: json) == 1)
        #expect(number("profile_entries", in: json) == 1)
        #expect(number("unknown_verb", in: json) == 1)
        #expect(try daemon.stop() == 0)
    }

    @Test func metricsParseLineByLine() throws {
        let daemon = try Daemon.start()
        let answer = try get(daemon.adminPort, "/metrics")
        #expect(answer.status == 200)
        #expect(answer.head.contains("Content-Type: text/plain; version=0.0.4"))
        var typed = Set<String>()
        for line in answer.body.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { typed.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && Double(parts[1]) != nil, "bad sample: \(line)")
            let name = String(parts[0].prefix { $0 != "{" })
            #expect(typed.contains(name), "no TYPE before \(name)")
        }
        #expect(answer.body.contains("blackboard_messages_in_total 0\n"))
        #expect(answer.body.contains("blackboard_protocol_errors_total{code=\"bad_syntax\"} 0\n"))
        #expect(try daemon.stop() == 0)
    }

    @Test func badRequestsGetTheirStatus() throws {
        let daemon = try Daemon.start()
        let post = try exchange(daemon.adminPort, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        #expect(post.status == 405)
        #expect(post.head.contains("Allow: GET, HEAD"))
        #expect(try get(daemon.adminPort, "/nope").status == 404)
        #expect(try exchange(daemon.adminPort, "hello there\r\n\r\n").status == 400)
        #expect(try exchange(daemon.adminPort, "GET / HTTP/3.0\r\n\r\n").status == 505)
        let head = try exchange(daemon.adminPort, "HEAD /healthz HTTP/1.0\r\n\r\n")
        #expect(head.status == 200 && head.body.isEmpty)
        // The daemon still serves clients and the admin port after all that.
        #expect(try get(daemon.adminPort, "/healthz").status == 200)
        #expect(try daemon.stop() == 0)
    }

    @Test func adminConnectionsShareTheConnectionLimit() throws {
        let daemon = try Daemon.start(["--max-connections", "1"])
        let idle = try RawClient(port: daemon.adminPort)
        try waitUntil("the idle admin connection to be admitted") {
            try exchange(daemon.adminPort, "GET /healthz HTTP/1.1\r\n\r\n").status == 503
        }
        let refused = try RawClient(port: daemon.port)
        #expect(try refused.readReply().errorCode == "too_many_connections")
        // The idle admin connection is answered 408 at its deadline, then the limit frees up.
        #expect(try idle.expectClosed(timeout: 10).hasPrefix("HTTP/1.1 408 "))
        try waitUntil("a client to be admitted again") {
            try get(daemon.adminPort, "/healthz").status == 200
        }
        #expect(try daemon.stop() == 0)
    }
}
