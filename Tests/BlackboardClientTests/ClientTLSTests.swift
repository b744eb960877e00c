@testable import BlackboardClient
import Testing

@Suite struct ClientTLSTests {
    @Test func plainByDefaultAndHostnameCheckedByDefault() {
        #expect(ClientConfiguration().tls == nil)
        let tls = ClientTLS(caFile: "ca.pem")
        #expect(tls.verifiesHostName && tls.minimumVersion == .tls12 && tls.serverName == nil)
    }

    @Test(arguments: [
        (ClientTLS(), nil),
        (ClientTLS(certificateFile: "c.pem", privateKeyFile: "c.key"), nil),
        (ClientTLS(certificateFile: "c.pem"), "a TLS client certificate needs its private key file"),
        (ClientTLS(privateKeyFile: "c.key"), "a TLS private key file needs its client certificate"),
        (ClientTLS(serverName: ""), "the TLS server name is empty"),
    ] as [(ClientTLS, String?)])
    func validation(tls: ClientTLS, problem: String?) {
        var configuration = ClientConfiguration(uri: "urn:ok")
        configuration.tls = tls
        do {
            try configuration.validate()
            #expect(problem == nil)
        } catch {
            #expect(error == .invalidArgument(problem ?? "-"))
        }
    }

    @Test func errorsSayWhatFailed() {
        #expect(ClientError.tlsFailed(endpoint: "b:7070", reason: "TLS handshake: certificate verify failed").description
            == "TLS with b:7070 failed: TLS handshake: certificate verify failed")
        #expect(ClientError.tlsSetupFailed("load CA bundle /x: No such file").description
            == "cannot set up TLS: load CA bundle /x: No such file")
    }
}
