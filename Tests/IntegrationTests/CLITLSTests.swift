import BlackboardTestSupport
import Foundation
import Testing

/// The `blackboard` tool over TLS: `sub`/`pub` to a TLS client listener, and
/// `stats` to a TLS admin port (`tls.admin = true`).
@Suite("CLI over TLS")
struct CLITLSTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.shared() }

    func daemon(verify: String = "none", admin: Bool = false) throws -> Daemon {
        try Daemon.start(["--config", pki.writeConfig(pki.tlsSection(verify: verify, admin: admin))])
    }

    var clientCertificate: [String] { ["--cert", pki.path("client.pem"), "--key", pki.path("client.key")] }

    @Test func subAndPubWithAClientCertificate() throws {
        let daemon = try daemon(verify: "required")
        let port = "\(daemon.port)"
        let sub = try Tool(["sub", "--port", port, "--ca", pki.path("ca.pem"), "--count", "1", "--sync", "wf:A"]
                           + clientCertificate)
        try waitUntil("sub to be ready") { sub.standardError.contains(#"{"ready":true,"version":1}"#) }
        let pub = try Tool(["pub", "--port", port, "--tls", "--ca", pki.path("ca.pem"), "wf:A=over tls", "noise=n"]
                           + clientCertificate).finish()
        #expect(pub.status == 0, "\(pub.standardError)")
        let done = try sub.finish()
        #expect(done.status == 0, "\(done.standardError)")
        #expect(done.standardOutput.contains(#""pairs":[["wf:A","over tls"]]"#), "\(done.standardOutput)")
    }

    @Test func failuresAreClearAndExitWithTwo() throws {
        let daemon = try daemon(verify: "required")
        let port = "\(daemon.port)"
        let cases: [([String], String)] = [
            (["--ca", pki.path("ca.pem")], "certificate required"),
            (["--ca", pki.path("other-ca.pem")] + clientCertificate, "certificate verify failed"),
            (["--ca", pki.path("ca.pem"), "--tls-server-name", "elsewhere.example"] + clientCertificate,
             "certificate verify failed (hostname mismatch)"),
        ]
        for (options, expected) in cases {
            let result = try Tool(["ping", "--port", port, "--count", "1"] + options).finish()
            #expect(result.status == 2, "\(options)")
            #expect(result.standardError.hasPrefix("blackboard: TLS with 127.0.0.1:\(port) failed: "), "\(result.standardError)")
            #expect(result.standardError.contains(expected), "\(result.standardError)")
        }
        let skipped = try Tool(["ping", "--port", port, "--count", "1", "--ca", pki.path("ca.pem"),
                                "--tls-server-name", "elsewhere.example", "--insecure-skip-hostname-check"]
                               + clientCertificate).finish()
        #expect(skipped.status == 0, "\(skipped.standardError)")
        let missing = try Tool(["ping", "--port", port, "--ca", pki.path("no-such-ca.pem")]).finish()
        #expect(missing.status == 1 && missing.standardError.contains("cannot set up TLS: load CA bundle"),
                "\(missing.standardError)")
        let keyless = try Tool(["ping", "--port", port, "--cert", pki.path("client.pem")]).finish()
        #expect(keyless.status == 1 && keyless.standardError.contains("--cert needs --key"), "\(keyless.standardError)")
    }

    @Test func statsReachesATLSAdminPortAndPlainHTTPIsDropped() throws {
        let daemon = try daemon(admin: true)
        let admin = ["--admin", "127.0.0.1:\(daemon.adminPort)"]
        let stats = try Tool(["stats", "--json", "--ca", pki.path("ca.pem")] + admin).finish()
        #expect(stats.status == 0, "\(stats.standardError)")
        #expect(stats.standardOutput.hasPrefix("{\"version\":"))

        // Plain HTTP gets no HTTP answer, only the close…
        let plain = try RawClient(port: daemon.adminPort)
        try plain.send("GET /stats HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let answer = try plain.expectClosed()
        #expect(!answer.hasPrefix("HTTP/"), "\(answer)")
        let refused = try Tool(["stats"] + admin).finish()
        #expect(refused.status == 2 && refused.standardError.contains("if it serves TLS, use --tls or --ca"),
                "\(refused.standardError)")

        // …and the port, and the client listener, keep serving.
        let again = try Tool(["subscribers", "--ca", pki.path("ca.pem")] + admin).finish()
        #expect(again.status == 0, "\(again.standardError)")
        let wrongCA = try Tool(["stats", "--ca", pki.path("other-ca.pem")] + admin).finish()
        #expect(wrongCA.status == 2 && wrongCA.standardError.contains("certificate verify failed"),
                "\(wrongCA.standardError)")
        let ping = try Tool(["ping", "--port", "\(daemon.port)", "--count", "1", "--ca", pki.path("ca.pem")]).finish()
        #expect(ping.status == 0, "\(ping.standardError)")
    }

    @Test func aTLSAdminPortWithRequiredClientCertificates() throws {
        let daemon = try daemon(verify: "required", admin: true)
        let admin = ["--admin", "127.0.0.1:\(daemon.adminPort)", "--ca", pki.path("ca.pem")]
        let refused = try Tool(["stats"] + admin).finish()
        #expect(refused.status == 2, "\(refused.standardError)")
        #expect(refused.standardError.hasPrefix("blackboard: cannot reach the admin port at 127.0.0.1:\(daemon.adminPort): "),
                "\(refused.standardError)")
        let stats = try Tool(["stats", "--json"] + admin + clientCertificate).finish()
        #expect(stats.status == 0 && stats.standardOutput.hasPrefix("{\"version\":"), "\(stats.standardError)")
    }

    @Test func adminTLSWithoutTLSDoesNotStart() throws {
        let path = pki.path("cli-tls-\(UUID()).conf")
        try "[tls]\nadmin = true\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TestFailure.self) { _ = try Daemon.start(["--config", path]) }
    }
}
