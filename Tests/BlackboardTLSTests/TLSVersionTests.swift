import BlackboardTestSupport
import BlackboardTLS
import BlackboardTransport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An old client, played by `openssl s_client`: our own client context cannot
/// offer anything below TLS 1.2.
@Suite("TLS versions")
struct TLSVersionTests {
    @Test func aServerWithMinimum12RefusesATLS11Client() throws {
        let pki = try TestPKI.shared()
        let (listener, address) = try Listener.listen(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        // SECLEVEL=0: OpenSSL 3 otherwise has no TLS 1.1 cipher to offer.
        process.arguments = ["s_client", "-connect", "127.0.0.1:\(address.port)", "-tls1_1",
                             "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", pki.path("ca.pem")]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
        }

        var accepted: Socket?
        let deadline = Date().addingTimeInterval(5)
        while accepted == nil {
            if Date() > deadline { throw PumpTimeout(states: ["no connection from s_client"]) }
            if let (socket, _) = try listener.accept() {
                accepted = socket
            } else if !process.isRunning {
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                try Test.cancel("openssl s_client cannot offer TLS 1.1 here: \(text)")
            } else {
                var fd = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&fd, 1, 20)
            }
        }
        let server = TLSEnd(try TLSTransport(
            socket: try #require(accepted),
            context: TLSContext(.server(certificateChainFile: pki.path("server.pem"),
                                        privateKeyFile: pki.path("server.key")))))
        defer { server.transport.close() }
        try pump([server]) { server.ending != nil }
        let reason = try #require(server.transport.failure)
        #expect(reason.message.contains("unsupported protocol"), "\(reason)")
        #expect(server.transport.isHandshaking)
    }
}
