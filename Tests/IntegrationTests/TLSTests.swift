import BlackboardTestSupport
import BlackboardTLS
import BlackboardTransport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real daemon with `[tls] enabled = true`, and clients speaking TLS
/// through BlackboardTLS's client mode.
@Suite("TLS on the client listener")
struct TLSTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.shared() }

    /// A config file turning TLS on with the test PKI's server certificate.
    func config(_ extra: String = "", certificate: String = "server") throws -> String {
        try pki.writeConfig(pki.tlsSection(verify: "optional", certificate: certificate, extra))
    }

    /// A TLS connection to the daemon, handshake not yet run (the first send or read runs it).
    func connect(_ port: UInt16, clientCertificate: Bool = false) throws -> RawClient {
        try RawClient.tls(port, pki: pki, clientCertificate: clientCertificate)
    }

    func hello(_ port: UInt16, _ uri: String, clientCertificate: Bool = false) throws -> RawClient {
        let client = try connect(port, clientCertificate: clientCertificate)
        try client.send("HELLO \(uri)\r\n")
        let reply = try client.readReply()
        guard reply.isOK("HELLO") else { throw TestFailure("HELLO answered \(reply)") }
        return client
    }

    @Test func helloSubscribeAndPublishOverTLS() throws {
        let daemon = try Daemon.start(["--config", try config()])
        let subscriber = try hello(daemon.port, "urn:test:tls-sub", clientCertificate: true)
        try subscriber.subscribe(["tls.>"])
        let publisher = try hello(daemon.port, "urn:test:tls-pub")
        // Large enough to take several TLS records and fill socket buffers.
        let big = String(repeating: "x", count: 300_000)
        try publisher.send(pub(("tls.a", "1"), ("other", "2"), ("tls.b", big)))
        try publisher.barrier()
        let delivery = try subscriber.nextDelivery()
        #expect(delivery.texts == ["tls.a=1", "tls.b=\(big)"])
        #expect(delivery.publisher == "urn:test:tls-pub")
        let transport = try #require(subscriber.transport as? TLSTransport)
        #expect(transport.peerCertificateSubject == "/CN=localhost")
    }

    /// A handshake flight of about 60 KB (a padded chain) to a client with a 2 KB
    /// receive buffer. The broker's read that runs the handshake may have to wait
    /// for the write source (Broker+IO), but loopback's send-buffer autotuning
    /// usually takes the whole flight; CrossedReadinessTests pins that path down.
    @Test func aLargeHandshakeFlightToASlowReaderCompletes() throws {
        let chain = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-chain-\(UUID()).pem").path
        defer { try? FileManager.default.removeItem(atPath: chain) }
        let leaf = try String(contentsOfFile: pki.path("server.pem"), encoding: .utf8)
        let ca = try String(contentsOfFile: pki.path("ca.pem"), encoding: .utf8)
        try (leaf + String(repeating: ca, count: 130)).write(toFile: chain, atomically: true, encoding: .utf8)
        let file = try config()
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: pki.path("server.pem"), with: chain)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let daemon = try Daemon.start(["--config", file])

        let address = try #require(try SocketAddress.resolve(host: "127.0.0.1", port: daemon.port).first)
        let socket = try Socket.tcp(family: address.family)
        try socket.setOption(level: SOL_SOCKET, name: SO_RCVBUF, value: 2048)
        try socket.connect(to: address)
        try socket.setNonBlocking()
        let context = try TLSContext(.client(caFile: pki.path("ca.pem")))
        let client = RawClient(transport: try TLSTransport(socket: socket, context: context, serverName: "localhost"))
        try client.send("HELLO urn:test:big-flight\r\n")
        #expect(try client.readReply().isOK("HELLO"))
    }

    @Test func aPlainClientIsDroppedAndServingGoesOn() throws {
        let daemon = try Daemon.start(["--config", try config()])
        let plain = try RawClient(port: daemon.port)
        try plain.send("HELLO urn:test:plain\r\n")
        try plain.expectClosed()
        _ = try hello(daemon.port, "urn:test:after-plain")
    }

    @Test func aHandshakeThatNeverFinishesIsDroppedAndCounted() throws {
        let daemon = try Daemon.start(["--config", try config("handshake_timeout_ms = 100")])
        let silent = try RawClient(port: daemon.port)
        try silent.expectClosed(timeout: 5)
        #expect(try AdminHTTP.stats(daemon.adminPort)["handshake_timeouts"] == 1)
        // The daemon logs after it closes, and its stderr is read asynchronously.
        try waitUntil("the timeout to be logged") { daemon.log.contains("TLS handshake timed out") }
    }

    @Test func sighupReloadsTheCertificateForNewConnectionsOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = directory + "/server.pem"
        try FileManager.default.copyItem(atPath: pki.path("server.pem"), toPath: certificate)
        let file = try config()
        let text = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: pki.path("server.pem"), with: certificate)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let daemon = try Daemon.start(["--config", file])
        let old = try hello(daemon.port, "urn:test:old")

        // A renewed certificate for the same key (subject /CN=renewed), replacing the file in place.
        try TestPKI.openssl(["req", "-new", "-key", pki.path("server.key"), "-subj", "/CN=renewed",
                             "-out", "renewed.csr"], in: directory)
        try "subjectAltName = DNS:localhost, IP:127.0.0.1\n".write(toFile: directory + "/renewed.ext", atomically: true,
                                                                  encoding: .utf8)
        try TestPKI.openssl(["x509", "-req", "-in", "renewed.csr", "-CA", pki.path("ca.pem"),
                             "-CAkey", pki.path("ca.key"), "-CAserial", "renewed.srl", "-CAcreateserial",
                             "-days", "2", "-extfile", "renewed.ext", "-out", "server.pem"], in: directory)
        kill(daemon.pid, SIGHUP)
        try waitUntil("the reload to be logged") { daemon.log.contains("TLS certificates reloaded") }

        let new = try hello(daemon.port, "urn:test:new")
        #expect((new.transport as? TLSTransport)?.peerCertificateSubject == "/CN=renewed")
        #expect((old.transport as? TLSTransport)?.peerCertificateSubject == "/CN=localhost")
        try old.barrier()
    }
}
