import BlackboardAccess
import BlackboardCore
import Testing

/// Allow/deny matching: coverage, intersection, deny wins, per direction.
@Suite struct PermissionsTests {
    static func permissions(_ text: String) throws -> Permissions {
        try AccessPolicy(parsing: "role r\n" + text + "\nidentity x r\n").permissions(of: "x")
    }

    static func publishes(_ permissions: Permissions, _ concept: String) -> Bool {
        Array(concept.utf8).withUnsafeBytes { permissions.mayPublish($0) }
    }

    @Test(arguments: [
        // (allow, deny, entry, permitted)
        ("wf.>", "", "wf.a", true),
        ("wf.>", "", "wf.a.b", true),
        ("wf.>", "", "wf.>", true),
        ("wf.>", "", "wf.a.>", true),
        ("wf.>", "", "wf", false),          // `wf.>` lies strictly below wf
        ("wf.>", "", "wfx.a", false),
        ("wf.>", "", ">", false),
        ("wf.a", "", "wf.a", true),
        ("wf.a", "", "wf.>", false),        // not covered: wf.b would be delivered
        (">", "", ">", true),
        (">", "", "anything.at.all", true),
        (">", "secret.>", ">", false),      // deny under E forbids E
        (">", "secret.>", "secret.x", false),
        (">", "secret.>", "secretive", true),
        ("res.>", "res.secret.>", "res.>", false),
        ("res.>", "res.secret.>", "res.cpu", true),
        ("res.>", "res.secret.>", "res.secret.key", false),
        ("res.>", "res.secret.>", "res.secret.>", false),
        ("res.>", "res.secret", "res.>", false),       // an exact deny under E
        ("res.>", "res.secret", "res.secret", false),
        ("res.>", "res.secret", "res.secret.x", true),  // exact deny does not reach below
        ("res.>", "res.>", "res.a", false),             // deny wins over the same allow
        ("", "", "a", false),                           // nothing allowed
    ])
    func subscribe(allow: String, deny: String, entry: String, permitted: Bool) throws {
        var text = ""
        if !allow.isEmpty { text += "subscribe allow \(allow)\n" }
        if !deny.isEmpty { text += "subscribe deny \(deny)\n" }
        let permissions = try Self.permissions(text)
        #expect(permissions.maySubscribe(try ProfileEntry(entry)) == permitted)
    }

    @Test(arguments: [
        ("wf.>", "", "wf.a", true),
        ("wf.>", "", "wf", false),
        ("wf.>", "wf.secret.>", "wf.secret.x", false),
        ("wf.>", "wf.secret.>", "wf.secret", true),
        ("wf.a", "", "wf.a", true),
        ("wf.a", "", "wf.b", false),
        (">", "x", "x", false),
        (">", "x", "y", true),
    ])
    func publish(allow: String, deny: String, concept: String, permitted: Bool) throws {
        var text = "publish allow \(allow)\n"
        if !deny.isEmpty { text += "publish deny \(deny)\n" }
        #expect(Self.publishes(try Self.permissions(text), concept) == permitted)
    }

    @Test func directionsAreSeparate() throws {
        let permissions = try Self.permissions("subscribe allow a.>\npublish allow b.>")
        #expect(permissions.maySubscribe(try ProfileEntry("a.x")))
        #expect(!permissions.maySubscribe(try ProfileEntry("b.x")))
        #expect(Self.publishes(permissions, "b.x"))
        #expect(!Self.publishes(permissions, "a.x"))
    }

    @Test func denyInOneRoleWinsOverAllowInAnother() throws {
        let policy = try AccessPolicy(parsing: """
            role wide
              subscribe allow >
              publish allow >
            role narrow
              subscribe deny hr.>
              publish deny hr.>
            identity x wide narrow
            """)
        let permissions = policy.permissions(of: "x")
        #expect(!permissions.maySubscribe(try ProfileEntry("hr.pay")))
        #expect(!permissions.maySubscribe(.all))
        #expect(!Self.publishes(permissions, "hr.pay"))
        #expect(Self.publishes(permissions, "ops.x"))
    }

    @Test func forbiddenSubscriptionsListsEachOnceInOrder() throws {
        let permissions = try Self.permissions("subscribe allow wf.>\nsubscribe deny wf.secret")
        let entries = try ["wf.a", "x.y", "wf.secret", "x.y", ">"].map { try ProfileEntry($0) }
        #expect(permissions.forbiddenSubscriptions(entries).map(\.text) == ["x.y", "wf.secret", ">"])
        #expect(permissions.forbiddenSubscriptions([try ProfileEntry("wf.b")]).isEmpty)
    }
}

/// Equality of parsed policies (how a reload tells that the access file changed).
@Suite struct AccessPolicyEqualityTests {
    @Test func samePermissionsInAnyOrderAreEqual() throws {
        let one = try AccessPolicy(parsing: "role r\n  subscribe allow a b.> c\nidentity x r\n")
        let two = try AccessPolicy(parsing: "role r\n  subscribe allow c a\n  subscribe allow b.>\nidentity x r\n")
        let three = try AccessPolicy(parsing: "role r\n  subscribe allow a b.>\nidentity x r\n")
        #expect(one == two)
        #expect(one != three)
        #expect(one.permissions(of: "x").subscribeAllow.entries.map(\.text) == ["a", "b.>", "c"])
    }
}
