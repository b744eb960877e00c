import BlackboardClient
import BlackboardTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The client library (``Publisher``, ``Subscriber``) over TLS against the
/// real daemon: verification of the server, client certificates, the errors a
/// user sees, and reconnection.
@Suite("Client library over TLS")
struct ClientTLSTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.shared() }

    /// A config file turning TLS on.
    func config(verify: String = "none", certificate: String = "server", admin: Bool = false) throws -> String {
        try pki.writeConfig(pki.tlsSection(verify: verify, certificate: certificate, admin: admin))
    }

    func configuration(_ port: UInt16, _ uri: String, tls: ClientTLS?, reconnects: Bool = false,
                       host: String = "127.0.0.1") -> ClientConfiguration {
        var configuration = ClientConfiguration(host: host, port: port, uri: uri)
        configuration.tls = tls
        configuration.reconnects = reconnects
        configuration.reconnectBackoff = ReconnectBackoff(initial: .milliseconds(10), maximum: .milliseconds(200))
        return configuration
    }

    var trusting: ClientTLS { ClientTLS(caFile: pki.path("ca.pem")) }

    var withCertificate: ClientTLS {
        ClientTLS(caFile: pki.path("ca.pem"), certificateFile: pki.path("client.pem"),
                  privateKeyFile: pki.path("client.key"))
    }

    /// Connecting to `host` with `tls` fails with the TLS error whose text contains `expected`.
    func expectTLSFailure(_ port: UInt16, _ tls: ClientTLS, _ expected: String, host: String = "127.0.0.1") async throws {
        let error = await #expect(throws: ClientError.self) {
            _ = try await Subscriber.connect(configuration(port, "urn:test:refused", tls: tls, host: host))
        }
        guard case let .tlsFailed(endpoint, reason) = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "\(host):\(port)")
        #expect(reason.contains(expected), "\(reason)")
    }

    @Test func subscriberAndPublisherExchangeMessages() async throws {
        let daemon = try Daemon.start(["--config", try config()])
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s", tls: trusting))
        try await subscriber.subscribe([.exact("wf:A"), .below("big")])
        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p", tls: trusting))
        try await waitUntil("the publisher to see the profile") { publisher.wants("wf:A") }
        // Larger than a TLS record, several times over.
        let big = String(repeating: "v", count: 200_000)
        try publisher.publish([Pair("wf:A", "1"), Pair("noise", "n")])
        try publisher.publish([Pair("big.one", big)])
        let deliveries = try await collect(2, from: subscriber)
        #expect(deliveries[0].pairs == [Pair("wf:A", "1")])
        #expect(deliveries[1].pairs == [Pair("big.one", big)])
        #expect(try await subscriber.ping() > .zero)
        await publisher.close()
        await subscriber.close()
    }

    /// Thousands of messages each way at once: the publisher's writer and
    /// reader, and the subscriber's, share their TLS connections under load.
    @Test func aBurstOfMessagesArrivesWholeAndInOrder() async throws {
        let daemon = try Daemon.start(["--config", try config()])
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s", tls: trusting))
        try await subscriber.subscribe([.below("n")])
        var settings = configuration(daemon.port, "urn:test:p", tls: trusting)
        settings.acknowledgePublishes = true
        let publisher = try await Publisher.connect(settings)
        try await waitUntil("the publisher to see the profile") { publisher.wants("n.x") }
        let count = 3_000
        let value = String(repeating: "p", count: 700)
        for index in 0..<count { try publisher.publish([Pair("n.x", "\(index) \(value)")]) }
        // Acknowledged publishes put the broker's answers on the publisher's
        // connection while its writer is still sending.
        #expect(try await publisher.publishConfirmed([Pair("n.x", "last")]).deliveries == 1)
        let deliveries = try await collect(count + 1, from: subscriber, timeout: 60)
        #expect(deliveries.dropLast().enumerated().allSatisfy { $1.pairs == [Pair("n.x", "\($0) \(value)")] })
        #expect(deliveries.last?.pairs == [Pair("n.x", "last")])
        await publisher.close()
        await subscriber.close()
    }

    @Test func aRequiredClientCertificateIsPresentedOrTheConnectionRefused() async throws {
        let daemon = try Daemon.start(["--config", try config(verify: "required")])
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s", tls: withCertificate))
        try await subscriber.subscribe([.exact("wf:A")])
        try await expectTLSFailure(daemon.port, trusting, "certificate required")
        // The refusal touched nobody else.
        let publisher = try await Publisher.connect(configuration(daemon.port, "urn:test:p", tls: withCertificate))
        try await waitUntil("the publisher to see the profile") { publisher.wants("wf:A") }
        try publisher.publish([Pair("wf:A", "still here")])
        #expect(try await collect(1, from: subscriber)[0].pairs == [Pair("wf:A", "still here")])
        await publisher.close()
        await subscriber.close()
    }

    @Test func aServerFromAnotherCAIsRefused() async throws {
        let daemon = try Daemon.start(["--config", try config()])
        try await expectTLSFailure(daemon.port, ClientTLS(caFile: pki.path("other-ca.pem")),
                                   "certificate verify failed (")
    }

    @Test func aCertificateForAnotherHostIsRefusedUnlessTheCheckIsOff() async throws {
        let daemon = try Daemon.start(["--config", try config(certificate: "elsewhere")])
        try await expectTLSFailure(daemon.port, trusting, "certificate verify failed (hostname mismatch)", host: "localhost")
        try await expectTLSFailure(daemon.port, trusting, "certificate verify failed (IP address mismatch)")
        var unchecked = trusting
        unchecked.verifiesHostName = false
        let subscriber = try await Subscriber.connect(configuration(daemon.port, "urn:test:s", tls: unchecked))
        #expect(try await subscriber.ping() > .zero)
        await subscriber.close()
        // The name the certificate carries passes, whatever address was dialled.
        var named = trusting
        named.serverName = "elsewhere.example"
        let other = try await Subscriber.connect(configuration(daemon.port, "urn:test:o", tls: named))
        await other.close()
    }

    /// A plain broker waits for a line end that the binary ClientHello may not
    /// hold: the handshake gives up at the connect timeout, with a hint (or,
    /// when the hello happens to hold one, fails on the broker's `-ERR` line).
    @Test func aBrokerWithoutTLSIsAClearErrorNotAHang() async throws {
        let daemon = try Daemon.start()
        var settings = configuration(daemon.port, "urn:test:s", tls: trusting)
        settings.connectTimeout = .milliseconds(300)
        let error = await #expect(throws: ClientError.self) { _ = try await Subscriber.connect(settings) }
        guard case let .tlsFailed(_, reason) = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("TLS handshake: "), "\(reason)")
    }

    @Test func unreadableFilesFailBeforeConnecting() async throws {
        let cases: [(ClientTLS, String)] = [
            (ClientTLS(caFile: pki.path("missing-ca.pem")), "load CA bundle \(pki.path("missing-ca.pem"))"),
            (ClientTLS(caFile: pki.path("ca.pem"), certificateFile: pki.path("client.pem"),
                       privateKeyFile: pki.path("server.key")), "key values mismatch"),
        ]
        for (tls, expected) in cases {
            // Port 1: nothing listens there, and nothing is tried.
            let error = await #expect(throws: ClientError.self) {
                _ = try await Publisher.connect(configuration(1, "urn:test:p", tls: tls))
            }
            guard case let .tlsSetupFailed(reason) = error else {
                Issue.record("expected tlsSetupFailed, got \(String(describing: error))")
                continue
            }
            #expect(reason.contains(expected), "\(reason)")
        }
    }

    @Test func bothSidesReconnectOverTLSWhenTheDaemonRestarts() async throws {
        let file = try config(verify: "required")
        let first = try Daemon.start(["--config", file])
        let port = first.port
        let subscriber = try await Subscriber.connect(
            configuration(port, "urn:test:s", tls: withCertificate, reconnects: true))
        try await subscriber.subscribe([.exact("wf:A")])
        let publisher = try await Publisher.connect(
            configuration(port, "urn:test:p", tls: withCertificate, reconnects: true))
        #expect(publisher.wants("wf:A"))

        try first.stop()
        let second = try Daemon.start(["--config", file, "--port", "\(port)"])
        try await waitUntil("both clients to reconnect") {
            subscriber.statistics.reconnects == 1 && publisher.statistics.reconnects == 1
        }
        _ = try await subscriber.waitUntilEffective()
        try await waitUntil("the restored subscription to reach the publisher") { publisher.wants("wf:A") }
        try publisher.publish([Pair("wf:A", "after restart")])
        #expect(try await collect(1, from: subscriber)[0].pairs == [Pair("wf:A", "after restart")])
        await publisher.close()
        await subscriber.close()
        _ = second
    }

    @Test func keepalivePingsFlowOverTLSAndASilentBrokerIsGivenUp() async throws {
        let daemon = try Daemon.start(["--config", try config()])
        // Reconnects on: a loaded machine may keep the daemon silent for a
        // whole 300 ms now and then, which only costs a reconnection here.
        var settings = configuration(daemon.port, "urn:test:s", tls: trusting, reconnects: true)
        settings.pingInterval = .milliseconds(100)
        let idle = try await Subscriber.connect(settings)
        try await waitUntil("three keepalive pings answered") { idle.statistics.keepalivePingsAnswered >= 3 }
        await idle.close()

        settings.reconnects = false
        let subscriber = try await Subscriber.connect(settings)
        // A stopped daemon keeps the connection open and answers nothing.
        kill(daemon.pid, SIGSTOP)
        defer { kill(daemon.pid, SIGCONT) }
        await #expect {
            _ = try await collect(0, from: subscriber.deliveries, "the end of the deliveries", timeout: 10)
        } throws: { error in
            if case .connectionLost(_, let reason) = error as? ClientError { reason.contains("keepalive") } else { false }
        }
    }
}
