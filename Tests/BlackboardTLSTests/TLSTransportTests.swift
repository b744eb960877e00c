import BlackboardTestSupport
import BlackboardTLS
import BlackboardTransport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("TLSTransport over a socket pair")
struct TLSTransportTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.shared() }

    var server: TLSConfiguration {
        .server(certificateChainFile: pki.path("server.pem"), privateKeyFile: pki.path("server.key"),
                caFile: pki.path("ca.pem"))
    }

    var client: TLSConfiguration { .client(caFile: pki.path("ca.pem")) }

    struct Case: CustomTestStringConvertible, Sendable {
        let minimum: TLSProtocolVersion
        let verification: TLSVerification
        let clientCertificate: Bool
        var testDescription: String { "min \(minimum.rawValue), verify \(verification), client cert \(clientCertificate)" }
    }

    @Test(arguments: [
        Case(minimum: .tls12, verification: .none, clientCertificate: false),
        Case(minimum: .tls13, verification: .none, clientCertificate: false),
        Case(minimum: .tls12, verification: .optional, clientCertificate: false),
        Case(minimum: .tls13, verification: .required, clientCertificate: true),
    ])
    func handshakeThenEchoBothWays(_ test: Case) throws {
        var server = self.server
        server.minimumVersion = test.minimum
        server.verification = test.verification
        var client = self.client
        if test.clientCertificate {
            client.certificateChainFile = pki.path("client.pem")
            client.privateKeyFile = pki.path("client.key")
        }
        let (s, c) = try connectedEnds(server: server, client: client)
        defer { s.transport.close(); c.transport.close() }
        // Large enough to fill the socket buffers: writes block and resume mid-stream.
        let upstream = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let downstream = Array("HELLO back\n".utf8)
        c.outgoing = upstream
        try pump([s, c]) { s.received.count >= upstream.count }
        #expect(s.received == upstream)
        #expect(!s.transport.isHandshaking && !c.transport.isHandshaking)
        // Both ends can do 1.3, so that is what they agree on whatever the minimum.
        #expect(c.transport.protocolVersion == "TLSv1.3")
        #expect(s.transport.peerCertificateSubject == (test.clientCertificate ? "/CN=client-1" : nil))
        #expect(c.transport.peerCertificateSubject == "/CN=localhost")
        s.outgoing = downstream
        try pump([s, c]) { c.received.count >= downstream.count }
        #expect(c.received == downstream)
        // close_notify reaches the peer as a clean end of stream.
        s.transport.close()
        try pump([c]) { c.ending != nil }
        #expect(c.ending == .closed)
    }

    @Test func serverWritesFirstOnceTheHandshakeCompletes() throws {
        let (s, c) = try connectedEnds(server: server, client: client)
        defer { s.transport.close(); c.transport.close() }
        // The server's write cannot start a handshake: it waits for the client's hello.
        s.outgoing = Array("PING\n".utf8)
        #expect(s.step() == false)
        #expect(s.transport.writeWaitsForReadable)
        try pump([s, c]) { c.received == Array("PING\n".utf8) }
        #expect(!s.transport.writeWaitsForReadable)
    }

    /// The server's flight (here a chain padded to about 40 KB) does not fit in
    /// its 4 KB socket buffer: the read that runs the handshake must wait for
    /// writability, says so, and finishes once retried.
    @Test func aHandshakeReadThatMustWriteWaitsForWritability() throws {
        let chain = pki.path("padded-chain-\(UUID()).pem")
        defer { try? FileManager.default.removeItem(atPath: chain) }
        let leaf = try String(contentsOfFile: pki.path("server.pem"), encoding: .utf8)
        let ca = try String(contentsOfFile: pki.path("ca.pem"), encoding: .utf8)
        try (leaf + String(repeating: ca, count: 70)).write(toFile: chain, atomically: true, encoding: .utf8)
        var server = self.server
        server.certificateChainFile = chain
        let (s, c) = try connectedEnds(server: server, client: client)
        defer { s.transport.close(); c.transport.close() }
        try Socket(fd: s.transport.fileDescriptor).setOption(level: SOL_SOCKET, name: SO_SNDBUF, value: 4096)
        c.outgoing = Array("HELLO\n".utf8)
        try pump([s, c]) { s.received.count == 6 }
        #expect(s.sawReadWaitingForWritable)
        #expect(!s.transport.readWaitsForWritable)
    }

    @Test func requiredVerificationRefusesAClientWithoutCertificate() throws {
        var server = self.server
        server.verification = .required
        let (s, c) = try connectedEnds(server: server, client: client)
        defer { s.transport.close(); c.transport.close() }
        c.outgoing = Array("HELLO\n".utf8)
        try pump([s, c]) { s.ending != nil && c.ending != nil }
        #expect(s.received.isEmpty)
        let reason = try #require(s.transport.failure)
        #expect(reason.message.contains("peer did not return a certificate"), "\(reason)")
    }

    @Test(arguments: [
        ("other-ca.pem", "localhost", "certificate verify failed"),
        ("ca.pem", "blackboard.example", "certificate verify failed"),
        ("ca.pem", "127.0.0.2", "certificate verify failed"),
    ])
    func clientRefusesAServerItCannotVerify(ca: String, serverName: String, expected: String) throws {
        let (s, c) = try connectedEnds(server: server, client: .client(caFile: pki.path(ca)), serverName: serverName)
        defer { s.transport.close(); c.transport.close() }
        c.outgoing = Array("HELLO\n".utf8)
        try pump([s, c]) { c.ending != nil && s.ending != nil }
        #expect(s.received.isEmpty)
        let reason = try #require(c.transport.failure)
        #expect(reason.message.contains(expected), "\(reason)")
    }

    @Test func clientAcceptsTheServerByIPAddress() throws {
        let (s, c) = try connectedEnds(server: server, client: client, serverName: "127.0.0.1")
        defer { s.transport.close(); c.transport.close() }
        c.outgoing = Array("HELLO\n".utf8)
        try pump([s, c]) { s.received.count == 6 }
    }

    @Test func contextErrorsNameTheFileAndCarryOpenSSLsReason() throws {
        let cases: [(TLSConfiguration, String, String)] = [
            (.server(certificateChainFile: pki.path("server.pem"), privateKeyFile: pki.path("client.key")),
             "load private key", "key values mismatch"),
            (.server(certificateChainFile: pki.path("missing.pem"), privateKeyFile: pki.path("server.key")),
             "missing.pem", "No such file"),
            (.server(certificateChainFile: pki.path("server.pem"), privateKeyFile: pki.path("server.key"),
                     verification: .required),
             "verify = required", "CA bundle"),
            ({
                var configuration = server
                configuration.ciphers = "NOT-A-CIPHER"
                return configuration
            }(), "cipher list", "no cipher match"),
        ]
        for (configuration, operation, message) in cases {
            let error = #expect(throws: TLSError.self) { try TLSContext(configuration) }
            #expect(error?.operation.contains(operation) == true, "\(String(describing: error))")
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        }
    }
}
