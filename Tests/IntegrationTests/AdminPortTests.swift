import BlackboardTestSupport
import Foundation
import Testing

/// The admin port of the real daemon, over raw sockets.
@Suite struct AdminPortTests {
    private func exchange(_ port: UInt16, _ request: String) throws -> AdminAnswer {
        try AdminHTTP.exchange(port, request)
    }

    private func get(_ port: UInt16, _ path: String) throws -> AdminAnswer {
        try AdminHTTP.get(port, path)
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

    @Test func metricsParseStrictly() throws {
        let daemon = try Daemon.start()
        let answer = try get(daemon.adminPort, "/metrics")
        #expect(answer.status == 200)
        #expect(answer.head.contains("Content-Type: text/plain; version=0.0.4"))
        let families = try PrometheusText.parse(answer.body)
        #expect(families.allSatisfy { $0.help != nil && !$0.samples.isEmpty })
        #expect(answer.body.contains("blackboard_messages_in_total 0\n"))
        #expect(answer.body.contains("blackboard_protocol_errors_total{code=\"bad_syntax\"} 0\n"))
        #expect(answer.body.contains("blackboard_storage_healthy 1\n"))
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
