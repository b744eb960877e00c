@testable import BlackboardServer
import BlackboardAccess
import Testing

/// The pure pieces of authentication in the server: the failure delay table
/// and the admin port's Authorization header.
@Suite struct AuthPieceTests {
    @Test func failureDelayDoublesToItsCapAndIsForgotten() {
        var penalty = FailurePenalty()
        let delays = (0..<6).map { step in penalty.fail("10.0.0.1", now: UInt64(step), base: 100, cap: 1_000) }
        #expect(delays == [100, 200, 400, 800, 1_000, 1_000])
        // Another address starts afresh.
        #expect(penalty.fail("10.0.0.2", now: 6, base: 100, cap: 1_000) == 100)
        // A success forgets the address.
        penalty.succeed("10.0.0.1")
        #expect(penalty.fail("10.0.0.1", now: 7, base: 100, cap: 1_000) == 100)
        // So does twice the cap without failures.
        #expect(penalty.fail("10.0.0.1", now: 8, base: 100, cap: 1_000) == 200)
        #expect(penalty.fail("10.0.0.1", now: 2_009, base: 100, cap: 1_000) == 100)
    }

    @Test func failureTableIsBounded() {
        var penalty = FailurePenalty()
        for index in 0..<(FailurePenalty.maxAddresses + 10) {
            _ = penalty.fail("addr-\(index)", now: UInt64(index), base: 1, cap: 1)
        }
        #expect(penalty.count <= FailurePenalty.maxAddresses)
        #expect(penalty.count > FailurePenalty.maxAddresses / 2 - 1)
    }

    @Test(arguments: [
        ("Bearer alice.c2VjcmV0", AdminCredentials.token(Token(name: "alice", secret: "c2VjcmV0"))),
        ("bearer  svc.x.y ", AdminCredentials.token(Token(name: "svc.x", secret: "y"))),
        ("Basic YWxpY2U6cDpx", AdminCredentials.password(user: "alice", password: Array("p:q".utf8))),
        ("Basic YWxpY2U6", AdminCredentials.password(user: "alice", password: [])),
    ])
    func authorizationHeaders(header: String, expected: AdminCredentials) {
        #expect(AdminCredentials(header: header) == expected)
    }

    @Test(arguments: ["Bearer", "Bearer nodot", "Basic !!", "Basic OnBhc3M=", "Digest a=b", ""])
    func badAuthorizationHeaders(header: String) {
        #expect(AdminCredentials(header: header) == nil)
    }

    @Test(arguments: [("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("::ffff:127.0.0.1", true),
                      ("localhost", true), ("0.0.0.0", false), ("10.0.0.1", false), ("::", false)])
    func loopback(host: String, expected: Bool) {
        #expect(Broker.isLoopback(host) == expected)
    }
}
