import Foundation
import Testing

/// `admin.require_token` and `admin.metrics_open_on_loopback` against the real daemon.
@Suite("Admin port credentials")
struct AdminAuthTests {
    func get(_ port: UInt16, _ target: String, _ authorization: String? = nil) throws -> AdminAnswer {
        let header = authorization.map { "Authorization: \($0)\r\n" } ?? ""
        return try AdminHTTP.exchange(port, "GET \(target) HTTP/1.1\r\nHost: localhost\r\n\(header)\r\n")
    }

    @Test func tokensOfAdminRolesAreRequired() throws {
        let fixture = try AuthFixture(access: """
            role ops
              admin
            role reader
              subscribe allow >
            identity svc ops
            identity alice reader
            """, config: "[admin]\nrequire_token = true\nmetrics_open_on_loopback = true\n")
        let daemon = try Daemon.start(["--config", fixture.config])
        let port = daemon.adminPort

        let missing = try get(port, "/stats")
        #expect(missing.status == 401 && missing.head.contains("WWW-Authenticate: Bearer"))
        #expect(try get(port, "/stats", "Bearer \(fixture.token.text)").status == 200)
        let basic = Data("alice:\(fixture.passwords["alice"]!)".utf8).base64EncodedString()
        #expect(try get(port, "/subscribers", "Basic \(basic)").status == 403)
        #expect(try get(port, "/stats", "Bearer svc.wrong").status == 401)
        #expect(try get(port, "/stats", "Digest x").status == 401)
        // /metrics stays open to loopback peers; everything else does not.
        #expect(try get(port, "/metrics").status == 200)
        #expect(try get(port, "/healthz").status == 401)
        let stats = try get(port, "/stats", "Bearer \(fixture.token.text)")
        #expect(stats.body.contains(#""auth_failures":1"#))

        // The CLI sends the token from --admin-token or BLACKBOARD_TOKEN.
        let admin = "127.0.0.1:\(port)"
        let refused = try Tool(["stats", "--admin", admin]).finish()
        #expect(refused.status != 0 && refused.standardError.contains("401"))
        let flagged = try Tool(["stats", "--admin", admin, "--admin-token", fixture.token.text]).finish()
        #expect(flagged.status == 0, "\(flagged.standardError)")
        let environment = try Tool(["subscribers", "--admin", admin], environment: ["BLACKBOARD_TOKEN": fixture.token.text]).finish()
        #expect(environment.status == 0, "\(environment.standardError)")
    }
}
