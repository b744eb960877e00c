import Foundation
import BlackboardAccess
import BlackboardCore
import Testing

/// The access file parser: a full example, and every error with its line.
@Suite struct AccessPolicyParsingTests {
    static let example = """
        # roles first
        role monitor
          subscribe allow wf.> res.>
          subscribe deny secret.>   # trailing comment
          publish allow user.note
        role ops
          admin
        identity alice monitor ops
        identity client-1 engine      # a certificate CN
        anonymous monitor
        role engine
          publish allow wf.> res.>
        """

    @Test func parsesTheExample() throws {
        let policy = try AccessPolicy(parsing: Self.example)
        #expect(Set(policy.roles.keys) == ["monitor", "ops", "engine"])
        #expect(policy.identities["alice"] == ["monitor", "ops"])
        #expect(policy.identities["client-1"] == ["engine"])
        #expect(policy.anonymous == ["monitor"])
        let alice = policy.permissions(of: "alice")
        #expect(alice.isAdmin)
        #expect(alice.maySubscribe(try ProfileEntry("wf.x")))
        #expect(!alice.maySubscribe(try ProfileEntry("secret.x")))
        #expect(alice.subscribeAllow.entries.map(\.text) == ["res.>", "wf.>"])
        #expect(!policy.permissions(of: "client-1").isAdmin)
        #expect(policy.permissions(of: "nobody") == Permissions())
        #expect(policy.anonymousPermissions?.isAdmin == false)
    }

    @Test func withoutAnonymousLineCredentialsAreRequired() throws {
        let policy = try AccessPolicy(parsing: "role r\n  admin\nidentity a r\n")
        #expect(policy.anonymous == nil)
        #expect(policy.anonymousPermissions == nil)
        #expect(try AccessPolicy(parsing: "anonymous\n").anonymousPermissions == Permissions())
    }

    @Test(arguments: [
        ("subscribe allow a\n", 1, "subscribe outside a role"),
        ("role r\n  publish a.b\n", 2, "publish is followed by allow or deny"),
        ("role r\n  publish allow\n", 2, "publish allow needs entries"),
        ("role r\n\n  subscribe allow a.b .> \n", 3, ".> is not a profile entry"),
        ("role r\n  subscribe deny x.>.>\n", 2, "is not a profile entry"),
        ("role r\nrole r\n", 2, "role r is already defined on line 1"),
        ("role r\nidentity a r\nidentity a r\n", 3, "identity a is listed twice"),
        ("identity a r\n", 1, "unknown role r"),
        ("role r\nidentity a r\nanonymous ghost\n", 3, "unknown role ghost"),
        ("identity a\n", 1, "identity takes a name and at least one role"),
        ("role\n", 1, "role takes one name"),
        ("role a:b\n", 1, "a:b is not a name"),
        ("role r\n  admin now\n", 2, "admin takes no arguments"),
        ("admin\n", 1, "admin outside a role"),
        ("anonymous\nanonymous\n", 2, "anonymous is already set on line 1"),
        ("grant a b\n", 1, "unknown directive grant"),
        ("role r\nidentity a r\n  publish allow x\n", 3, "publish outside a role"),
    ])
    func reportsErrorsWithTheirLine(text: String, line: Int, message: String) {
        #expect {
            _ = try AccessPolicy(parsing: text)
        } throws: { error in
            guard let error = error as? AccessFileError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }
}

/// The example shipped in config/ parses and means what its comments say.
@Suite struct ShippedAccessExampleTests {
    @Test func configAccessExampleParses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("config/access.example"), encoding: .utf8)
        let policy = try AccessPolicy(parsing: text)
        #expect(policy.identities["client-1"] == ["engine"])
        #expect(policy.permissions(of: "root").isAdmin)
        #expect(!policy.permissions(of: "alice").maySubscribe(try ProfileEntry("res.>")))
        #expect(policy.anonymous == ["monitor"])
    }
}
