import BlackboardAccess
import BlackboardProtocol
import BlackboardTLS
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Authentication in HELLO and the access file's permissions, against the real daemon.
@Suite("Authentication and access control")
struct AuthTests {
    static let access = """
        role monitor
          subscribe allow wf.> res.>
          subscribe deny res.secret.>
        role engine
          publish allow wf.>
          subscribe allow ctl.>
        identity alice monitor
        identity svc engine
        identity bob engine
        """

    /// Sends HELLO with `options` on a fresh connection and returns the client and the reply.
    func hello(_ port: UInt16, _ uri: String, _ options: String) throws -> (RawClient, Reply) {
        let client = try RawClient(port: port)
        try client.send("HELLO \(uri) \(options)\r\n")
        return (client, try client.readReply())
    }

    @Test func passwordAndTokenAuthenticate() throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        let (alice, aliceReply) = try hello(daemon.port, "urn:test:alice", fixture.credentials("alice"))
        #expect(aliceReply.isOK("HELLO"))
        #expect(try alice.subscribe(["wf.>"]) > 0)
        // bob's password holds a `%`, sent as %25.
        let (_, bobReply) = try hello(daemon.port, "urn:test:bob", fixture.credentials("bob"))
        #expect(bobReply.isOK("HELLO"))
        let (svc, svcReply) = try hello(daemon.port, "urn:test:svc", "ack=1 token=\(fixture.token.text)")
        #expect(svcReply.isOK("HELLO"))
        try svc.send(pub(("wf.started", "1")))
        #expect(try svc.readReply() == .ok(verb: "PUB", arguments: ["1"]))
        #expect(try alice.nextDelivery().texts == ["wf.started=1"])
        #expect(try AdminHTTP.stats(daemon.adminPort)["auth_failures"] == 0)
        #expect(daemon.log.contains("identity=alice"))
        // The listings name who each client authenticated as.
        let subscribers = try AdminHTTP.object(daemon.adminPort, "/subscribers")["subscribers"] as? [[String: Any]]
        #expect(subscribers?.map { $0["identity"] as? String } == ["alice"])
    }

    @Test func wrongCredentialsFailAfterADelayAreCountedAndClose() throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        for (attempt, options) in ["user=alice password=Sekr1tGuess", "user=mallory password=x", "token=svc.bogus"].enumerated() {
            let started = Date()
            let (client, reply) = try hello(daemon.port, "urn:test:guess", options)
            #expect(reply.errorCode == "auth_failed")
            // The delay doubles per failure from this address: 200, 400, 800 ms.
            #expect(Date().timeIntervalSince(started) >= 0.2 * Double(1 << attempt) - 0.01)
            _ = try client.expectClosed()
        }
        #expect(try AdminHTTP.stats(daemon.adminPort)["auth_failures"] == 3)
        #expect(daemon.log.contains("authentication failed"))
        #expect(daemon.log.contains("user=mallory"))
        #expect(!daemon.log.contains("Sekr1tGuess") && !daemon.log.contains("bogus"))
        // A success forgets the address's failures; good clients are not slowed.
        let (_, good) = try hello(daemon.port, "urn:test:alice", fixture.credentials("alice"))
        #expect(good.isOK("HELLO"))
    }

    @Test func withoutAnonymousRolesCredentialsAreRequired() throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        let client = try RawClient(port: daemon.port)
        try client.send(profileFrame("SUB", ["wf.>"]))
        #expect(try client.readReply().errorCode == "auth_required")
        try client.send(pub(("wf.x", "1")))
        #expect(try client.readReply().errorCode == "auth_required")
        try client.send("HELLO urn:test:nobody\r\n")
        #expect(try client.readReply().errorCode == "auth_required")
        // The connection stays usable: credentials in a second HELLO are accepted.
        try client.send("HELLO urn:test:alice \(fixture.credentials("alice"))\r\n")
        #expect(try client.readReply().isOK("HELLO"))
        #expect(try client.subscribe(["wf.>"]) > 0)
    }

    @Test func anonymousRolesServeClientsWithoutCredentials() throws {
        let fixture = try AuthFixture(access: Self.access + "\nanonymous monitor\n")
        let daemon = try Daemon.start(["--config", fixture.config])
        let (client, reply) = try hello(daemon.port, "urn:test:anon", "")
        #expect(reply.isOK("HELLO"))
        #expect(try client.subscribe(["res.cpu"]) > 0)
        try client.send(profileFrame("ADD", ["ctl.x"]))
        #expect(try client.readReply() == .error(code: "forbidden", message: "ctl.x"))
        // Without HELLO at all, the anonymous roles apply too.
        let bare = try RawClient(port: daemon.port)
        #expect(try bare.subscribe(["wf.a"]) > 0)
    }

    @Test func forbiddenSubscriptionListsEveryEntryAndChangesNothing() throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        let (alice, _) = try hello(daemon.port, "urn:test:alice", fixture.credentials("alice"))
        let version = try alice.subscribe(["wf.>"])
        let (svc, _) = try hello(daemon.port, "urn:test:svc", "token=\(fixture.token.text)")
        try svc.send("REG\r\n")
        #expect(try svc.readReply().isOK("REG"))
        #expect(try svc.readReply() == .profile(version: version, entries: [.below("wf")]))
        // Deny wins: res.> would deliver res.secret.*, so it is refused with the others.
        try alice.send(profileFrame("SUB", ["wf.a", "res.>", "hr.pay", "res.cpu", "res.secret.key"]))
        #expect(try alice.readReply() == .error(code: "forbidden", message: "res.> hr.pay res.secret.key"))
        try alice.send(profileFrame("ADD", ["res.secret.>"]))
        #expect(try alice.readReply() == .error(code: "forbidden", message: "res.secret.>"))
        // No DELTA reached the publisher: the aggregate profile did not change.
        try svc.send("PING\r\n")
        #expect(try svc.readReply() == .pong)
        let profile = try AdminHTTP.object(daemon.adminPort, "/profile")
        #expect("\(profile)".contains("wf.>") && !"\(profile)".contains("res"))
        // The old profile still delivers, and the connection goes on.
        try svc.send(pub(("wf.b", "2")))
        #expect(try alice.nextDelivery().texts == ["wf.b=2"])
        #expect(try alice.subscribe(["wf.>", "res.cpu"]) > version)
    }

    @Test func forbiddenPublishIsRefusedAndNothingIsDelivered() throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        let (alice, _) = try hello(daemon.port, "urn:test:alice", fixture.credentials("alice"))
        try alice.subscribe(["wf.>", "res.cpu", "res.mem"])
        let (svc, _) = try hello(daemon.port, "urn:test:svc", "ack=1 token=\(fixture.token.text)")
        try svc.send(pub(("wf.a", "1"), ("res.cpu", "2"), ("res.mem", "3"), ("res.cpu", "4")))
        #expect(try svc.readReply() == .error(code: "forbidden", message: "res.cpu res.mem"))
        // alice may not publish at all.
        try alice.send(pub(("wf.a", "1")))
        #expect(try alice.readReply() == .error(code: "forbidden", message: "wf.a"))
        try svc.send(pub(("wf.ok", "5")))
        #expect(try svc.readReply() == .ok(verb: "PUB", arguments: ["1"]))
        #expect(try alice.nextDelivery().texts == ["wf.ok=5"])
        #expect(try AdminHTTP.stats(daemon.adminPort)["messages_in"] == 1)
    }

    @Test func accessFileReloadsOnSIGHUP() throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        let (alice, _) = try hello(daemon.port, "urn:test:alice", fixture.credentials("alice"))
        try alice.send(profileFrame("SUB", ["ops.>"]))
        #expect(try alice.readReply().errorCode == "forbidden")
        let (svc, _) = try hello(daemon.port, "urn:test:svc", "ack=1 token=\(fixture.token.text)")
        try svc.send(pub(("ops.x", "1")))
        #expect(try svc.readReply().errorCode == "forbidden")
        try fixture.writeAccess(Self.access
            .replacingOccurrences(of: "wf.> res.>", with: "wf.> res.> ops.>")
            .replacingOccurrences(of: "publish allow wf.>", with: "publish allow wf.> ops.>"))
        kill(daemon.pid, SIGHUP)
        try waitUntil("the access file to be reloaded") { daemon.log.contains("credentials and access files reloaded") }
        // The open sessions keep their identity and get the new permissions (the
        // publisher's remembered verdict for ops.x is forgotten).
        #expect(try alice.subscribe(["ops.>"]) > 0)
        try svc.send(pub(("ops.x", "2")))
        #expect(try svc.readReply() == .ok(verb: "PUB", arguments: ["1"]))
        #expect(try alice.nextDelivery().texts == ["ops.x=2"])
        // A broken file is refused whole; the running one stays.
        try fixture.writeAccess("role x\n  subscribe allow\n")
        kill(daemon.pid, SIGHUP)
        try waitUntil("the broken access file to be refused") { daemon.log.contains("not reloaded") }
        #expect(daemon.log.contains("access:2:"))
        #expect(try alice.subscribe(["ops.a"]) > 0)
    }

    @Test func credentialsReloadOnSIGHUPAndForgetRememberedLogins() throws {
        let fixture = try AuthFixture(access: Self.access + "\nidentity dave monitor\n")
        let daemon = try Daemon.start(["--config", fixture.config])
        // alice's success is remembered; after her line goes, she must fail all the same.
        let (_, first) = try hello(daemon.port, "urn:test:alice", fixture.credentials("alice"))
        #expect(first.isOK("HELLO"))
        var credentials = try CredentialsFile(parsing: String(contentsOfFile: fixture.path("credentials"), encoding: .utf8))
        credentials.remove("alice")
        credentials.set("dave", PasswordPolicy.hash(Array("d4ve".utf8), iterations: AuthFixture.iterations))
        try credentials.text.write(toFile: fixture.path("credentials"), atomically: true, encoding: .utf8)
        kill(daemon.pid, SIGHUP)
        try waitUntil("the credentials file to be reloaded") { daemon.log.contains("credentials and access files reloaded") }
        let (_, gone) = try hello(daemon.port, "urn:test:alice2", fixture.credentials("alice"))
        #expect(gone.errorCode == "auth_failed")
        #expect(daemon.log.contains("reason=unknown name"))
        let (_, dave) = try hello(daemon.port, "urn:test:dave", "user=dave password=d4ve")
        #expect(dave.isOK("HELLO"))
    }

    @Test func plainLoopbackOnlyRefusesToStartOnEveryInterface() throws {
        let fixture = try AuthFixture(access: Self.access, config: "[listen]\nplain_loopback_only = true\n")
        #expect {
            _ = try Daemon.start(["--config", fixture.config, "--host", "0.0.0.0"])
        } throws: { error in
            "\(error)".contains("plain_loopback_only")
        }
        // The admin port is a plain listener too.
        let adminEverywhere = try AuthFixture(
            access: Self.access, config: "[listen]\nplain_loopback_only = true\n[admin]\nhost = \"0.0.0.0\"\n")
        #expect {
            _ = try Daemon.start(["--config", adminEverywhere.config])
        } throws: { error in
            "\(error)".contains("the admin port without TLS must bind a loopback address")
        }
        // On loopback it starts and serves.
        let daemon = try Daemon.start(["--config", fixture.config])
        let (_, reply) = try hello(daemon.port, "urn:test:alice", fixture.credentials("alice"))
        #expect(reply.isOK("HELLO"))
    }
}
