import BlackboardClient
import BlackboardCore
import BlackboardProtocol
import Foundation
import Testing

/// The client library's credentials against the real daemon.
@Suite("Client library credentials")
struct AuthClientTests {
    static let access = """
        role reader
          subscribe allow wf.>
        role writer
          publish allow wf.>
        identity alice reader
        identity svc writer
        """

    func configuration(_ port: UInt16, _ credentials: ClientCredentials?) -> ClientConfiguration {
        var configuration = ClientConfiguration(port: port)
        configuration.credentials = credentials
        configuration.reconnectBackoff = ReconnectBackoff(initial: .milliseconds(10), maximum: .milliseconds(100))
        return configuration
    }

    @Test func passwordAndTokenClientsExchangeMessages() async throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        let password = Array(fixture.passwords["alice"]!.utf8)
        let subscriber = try await Subscriber.connect(configuration(daemon.port, .password(user: "alice", password: password)))
        _ = try await subscriber.subscribe([.below("wf")])
        await #expect(throws: ClientError.serverError(code: "forbidden", message: "hr.>")) {
            try await subscriber.subscribe([.below("wf"), .below("hr")])
        }
        let publisher = try await Publisher.connect(configuration(daemon.port, .token(fixture.token.text)))
        try publisher.publish([Pair("wf.done", "1")])
        var iterator = subscriber.deliveries.makeAsyncIterator()
        let delivery = try await iterator.next()
        #expect(delivery?.pairs == [Pair("wf.done", "1")])
        await publisher.close()
        await subscriber.close()
    }

    @Test func refusedCredentialsAreASpecificErrorAndNotRetried() async throws {
        let fixture = try AuthFixture(access: Self.access)
        let daemon = try Daemon.start(["--config", fixture.config])
        await #expect {
            _ = try await Subscriber.connect(configuration(daemon.port, .password(user: "alice", password: Array("nope".utf8))))
        } throws: { error in
            if case .authenticationFailed(code: "auth_failed", _) = error as? ClientError { return true }
            return false
        }
        await #expect {
            _ = try await Subscriber.connect(configuration(daemon.port, nil))
        } throws: { error in
            if case .authenticationFailed(code: "auth_required", _) = error as? ClientError { return true }
            return false
        }
        // One failure, one connection each: no retry loop.
        #expect(try AdminHTTP.stats(daemon.adminPort)["auth_failures"] == 1)
        let total = try AdminHTTP.stats(daemon.adminPort)["connections_accepted"]
        #expect(total == 2, "connections_accepted \(String(describing: total))")
    }
}
