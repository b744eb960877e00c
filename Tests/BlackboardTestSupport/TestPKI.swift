import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway public-key infrastructure made at test time with the `openssl`
/// command, the same commands docs/SECURITY.md walks through: a CA, a server
/// certificate for `localhost` and `127.0.0.1` and a client certificate signed
/// by it, a second server certificate from the same CA for another host (to
/// test the hostname check), and a second, unrelated CA (to test that it is refused).
///
/// Files, all PEM, in ``directory``: `ca.pem`/`ca.key`, `server.pem`/`server.key`,
/// `elsewhere.pem`/`elsewhere.key` (for `elsewhere.example` only),
/// `client.pem`/`client.key` (subject `/CN=client-1`), `other-ca.pem`/`other-ca.key`.
public struct TestPKI: Sendable {
    /// The directory holding the files.
    public let directory: String

    /// One set for the whole test process, made on first use (about 0.2 s).
    public static func shared() throws -> TestPKI { try sharedResult.get() }

    private static let sharedResult = Result<TestPKI, any Error> {
        let pki = try TestPKI.generate()
        sharedDirectory = pki.directory
        atexit { if let directory = TestPKI.sharedDirectory { try? FileManager.default.removeItem(atPath: directory) } }
        return pki
    }

    /// The shared set's directory, removed when the test process exits.
    /// nonisolated(unsafe): written once, inside the thread-safe lazy
    /// initialisation of `sharedResult`; read only at exit.
    private nonisolated(unsafe) static var sharedDirectory: String?

    /// The path of `name` (e.g. `server.pem`) in ``directory``.
    public func path(_ name: String) -> String { directory + "/" + name }

    /// A `[tls]` section turning TLS on with this set's `certificate` (`server`,
    /// or `elsewhere` for one naming another host) and CA, then `extra` lines.
    public func tlsSection(verify: String = "none", certificate: String = "server", admin: Bool = false,
                           _ extra: String = "") -> String {
        """
        [tls]
        enabled = true
        cert = "\(path("\(certificate).pem"))"
        key = "\(path("\(certificate).key"))"
        ca = "\(path("ca.pem"))"
        verify = "\(verify)"
        admin = \(admin)
        \(extra)

        """
    }

    /// Writes `text` to a new config file in ``directory`` (which goes when the
    /// test process exits) and returns its path.
    public func writeConfig(_ text: String) throws -> String {
        let file = path("daemon-\(UUID()).conf")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Makes a fresh set in a new temporary directory.
    public static func generate() throws -> TestPKI {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-pki-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pki = TestPKI(directory: directory)
        try pki.makeCA("ca", subject: "/CN=Blackboard Test CA")
        try pki.makeCA("other-ca", subject: "/CN=Some Other CA")
        try pki.issue("server", subject: "/CN=localhost", by: "ca",
                      extensions: ["subjectAltName = DNS:localhost, IP:127.0.0.1", "extendedKeyUsage = serverAuth"])
        try pki.issue("elsewhere", subject: "/CN=elsewhere.example", by: "ca",
                      extensions: ["subjectAltName = DNS:elsewhere.example", "extendedKeyUsage = serverAuth"])
        try pki.issue("client", subject: "/CN=client-1", by: "ca", extensions: ["extendedKeyUsage = clientAuth"])
        return pki
    }

    /// A self-signed CA certificate `name.pem` and its key `name.key`.
    func makeCA(_ name: String, subject: String) throws {
        try TestPKI.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                             "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2", "-subj", subject,
                             "-addext", "basicConstraints = critical, CA:TRUE",
                             "-addext", "keyUsage = critical, keyCertSign, cRLSign"], in: directory)
    }

    /// A leaf certificate `name.pem` and key `name.key` signed by the CA `ca`.
    public func issue(_ name: String, subject: String, by ca: String, extensions: [String]) throws {
        try TestPKI.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                             "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject], in: directory)
        try (extensions.joined(separator: "\n") + "\n").write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
        try TestPKI.openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key",
                             "-CAcreateserial", "-days", "2", "-extfile", "\(name).ext", "-out", "\(name).pem"],
                            in: directory)
    }

    /// Runs `openssl arguments` in `directory`; throws with its output if it fails.
    @discardableResult
    public static func openssl(_ arguments: [String], in directory: String, timeout: Double = 20) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("openssl-\(UUID()).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Polled, never waitUntilExit() (see IntegrationTests' waitForExit).
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                break
            }
            usleep(1_000)
        }
        while process.isRunning { usleep(1_000) }
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        if process.terminationStatus != 0 {
            throw PKIFailure("openssl \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }
}

/// The `openssl` command failed.
public struct PKIFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
