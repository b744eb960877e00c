import Foundation
import Testing

/// `blackboard passwd` writes credentials files the daemon accepts.
@Suite("blackboard passwd")
struct PasswdCommandTests {
    @Test func writesPasswordsAndTokensTheDaemonAccepts() throws {
        let fixture = try AuthFixture(access: "role r\n  subscribe allow >\nidentity carol r\nidentity robot r\nidentity alice r\n")
        let file = fixture.path("credentials")
        try FileManager.default.removeItem(atPath: file)
        let password = "correct horse %battery é"
        let set = try Tool(["passwd", "--stdin", "--iterations", "1000", file, "carol"], input: password + "\n").finish()
        #expect(set.status == 0, "\(set.standardError)")
        let made = try Tool(["passwd", "--token", "--iterations", "1000", file, "robot"]).finish()
        #expect(made.status == 0, "\(made.standardError)")
        let token = made.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("robot.") && token.count == "robot.".count + 43)
        #expect(try Tool(["passwd", "--stdin", "--iterations", "1000", file, "alice"], input: "gone\n").finish().status == 0)
        #expect(try Tool(["passwd", "--delete", file, "alice"]).finish().status == 0)
        let missing = try Tool(["passwd", "--delete", file, "alice"]).finish()
        #expect(missing.status == 1 && missing.standardError.contains("no entry for alice"))

        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("carol:$pbkdf2-sha256$1000$") && text.contains("\nrobot:$pbkdf2-sha256$1000$"))
        #expect(!text.contains("alice") && !text.contains("horse") && !text.contains(String(token.dropFirst(6))))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let daemon = try Daemon.start(["--config", fixture.config])
        let client = try RawClient(port: daemon.port)
        try client.send("HELLO urn:test:carol user=carol password=\(PercentText.encode(password))\r\n")
        #expect(try client.readReply().isOK("HELLO"))
        let robot = try RawClient(port: daemon.port)
        try robot.send("HELLO urn:test:robot token=\(token)\r\n")
        #expect(try robot.readReply().isOK("HELLO"))
    }

    @Test func refusesWithoutATerminalOrStdin() throws {
        let fixture = try AuthFixture(access: "")
        let result = try Tool(["passwd", fixture.path("new"), "dave"], input: "x\n").finish()
        #expect(result.status == 1 && result.standardError.contains("use --stdin"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("new")))
    }
}

/// `--user`, `--password-file`, `--token` and their environment variables on the CLI.
@Suite("CLI credentials")
struct CLICredentialTests {
    @Test func subWithAPasswordFileGetsWhatPubWithATokenSends() throws {
        let fixture = try AuthFixture(access: """
            role reader
              subscribe allow wf.>
            role writer
              publish allow wf.>
            identity alice reader
            identity svc writer
            """)
        let daemon = try Daemon.start(["--config", fixture.config])
        let port = "\(daemon.port)"
        try (fixture.passwords["alice"]! + "\n").write(toFile: fixture.path("alice.pw"), atomically: true, encoding: .utf8)
        let sub = try Tool(["sub", "--port", port, "--user", "alice", "--password-file", fixture.path("alice.pw"),
                            "--count", "1", "--sync", "wf.>"])
        try waitUntil("sub to be ready") { sub.standardError.contains(#""ready":true"#) }
        let pub = try Tool(["pub", "--port", port, "wf.x=1"], environment: ["BLACKBOARD_TOKEN": fixture.token.text]).finish()
        #expect(pub.status == 0, "\(pub.standardError)")
        let done = try sub.finish()
        #expect(done.status == 0 && done.standardOutput.contains(#"[["wf.x","1"]]"#))

        let refused = try Tool(["sub", "--port", port, "--user", "alice", "wf.>"],
                               environment: ["BLACKBOARD_PASSWORD": "not it"]).finish()
        #expect(refused.status == 3 && refused.standardError.contains("auth_failed"))
        let forbidden = try Tool(["sub", "--port", port, "--user", "alice", "--password-file", fixture.path("alice.pw"),
                                  "hr.>"]).finish()
        #expect(forbidden.status == 3 && forbidden.standardError.contains("forbidden"))
    }
}
