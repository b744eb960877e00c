import BlackboardTestSupport
import BlackboardTLS
import BlackboardTransport
import Foundation
import Testing

/// A verified client certificate's CN as the client's identity (`auth.cert_identity = "cn"`).
@Suite("Client certificates as identities")
struct AuthCertificateTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.shared() }

    func connect(_ port: UInt16, clientCertificate: Bool) throws -> RawClient {
        let socket = try Socket.connect(host: "127.0.0.1", port: port)
        try socket.setNonBlocking()
        var configuration = TLSConfiguration.client(caFile: pki.path("ca.pem"))
        if clientCertificate {
            configuration.certificateChainFile = pki.path("client.pem")
            configuration.privateKeyFile = pki.path("client.key")
        }
        let transport = try TLSTransport(socket: socket, context: TLSContext(configuration), serverName: "localhost")
        return RawClient(transport: transport)
    }

    @Test func theCommonNameOfAVerifiedCertificateIsTheIdentity() throws {
        let fixture = try AuthFixture(access: """
            role engine
              publish allow wf.>
              subscribe allow wf.>
            identity client-1 engine
            """, config: """
            cert_identity = "cn"
            [tls]
            enabled = true
            cert = "\(pki.path("server.pem"))"
            key = "\(pki.path("server.key"))"
            ca = "\(pki.path("ca.pem"))"
            verify = "optional"
            """)
        let daemon = try Daemon.start(["--config", fixture.config])
        let client = try connect(daemon.port, clientCertificate: true)
        try client.send("HELLO urn:test:cert\r\n")
        #expect(try client.readReply().isOK("HELLO"))
        #expect(try client.subscribe(["wf.>"]) > 0)
        try client.send(profileFrame("ADD", ["hr.>"]))
        #expect(try client.readReply() == .error(code: "forbidden", message: "hr.>"))
        #expect(daemon.log.contains("identity=client-1") && daemon.log.contains("method=certificate"))
        // Without a certificate, and with no anonymous roles, credentials are required.
        let bare = try connect(daemon.port, clientCertificate: false)
        try bare.send("HELLO urn:test:bare\r\n")
        #expect(try bare.readReply().errorCode == "auth_required")
    }
}
