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
        try RawClient.tls(port, pki: pki, clientCertificate: clientCertificate)
    }

    @Test func theCommonNameOfAVerifiedCertificateIsTheIdentity() throws {
        let fixture = try AuthFixture(access: """
            role engine
              publish allow wf.>
              subscribe allow wf.>
            identity client-1 engine
            """, config: """
            cert_identity = "cn"
            \(pki.tlsSection(verify: "optional"))
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
