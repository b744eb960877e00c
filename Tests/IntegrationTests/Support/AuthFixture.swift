import BlackboardAccess
import BlackboardTLS
import Foundation

/// A directory with a credentials file, an access file and a config file
/// turning auth on, for daemons under test. Hashes use few iterations: the
/// tests check behaviour, not cost.
final class AuthFixture {
    let directory: String
    static let iterations = 1_000

    /// Passwords by identity, and the token of `svc`.
    let passwords = ["alice": "wonder land", "bob": "b%b"]
    let token: Token

    init(access: String, config extra: String = "") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-auth-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        token = PasswordPolicy.newToken(for: "svc")
        var credentials = CredentialsFile()
        for (name, password) in passwords.sorted(by: { $0.key < $1.key }) {
            credentials.set(name, PasswordPolicy.hash(Array(password.utf8), iterations: Self.iterations))
        }
        credentials.set("svc", PasswordPolicy.hash(Array(token.secret.utf8), iterations: Self.iterations))
        try credentials.text.write(toFile: path("credentials"), atomically: true, encoding: .utf8)
        try writeAccess(access)
        try """
            [auth]
            enabled = true
            credentials = "\(path("credentials"))"
            access = "\(path("access"))"
            failure_delay_ms = 200
            failure_delay_max_ms = 1000
            \(extra)

            """.write(toFile: path("blackboard.conf"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    var config: String { path("blackboard.conf") }

    func writeAccess(_ text: String) throws {
        try text.write(toFile: path("access"), atomically: true, encoding: .utf8)
    }

    /// The HELLO options of `name`'s password, percent-encoded.
    func credentials(_ name: String) -> String {
        "user=\(name) password=" + PercentText.encode(passwords[name]!)
    }
}

/// Percent-encoding as docs/PROTOCOL.md describes it for `password=`.
enum PercentText {
    static func encode(_ text: String) -> String {
        text.utf8.map { byte in
            byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "%")
                ? String(UnicodeScalar(byte)) : "%" + String(format: "%02X", byte)
        }.joined()
    }
}
