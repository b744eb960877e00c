import ArgumentParser
import BlackboardClient

#if canImport(Glibc)
import Glibc
#endif

/// Who the client authenticates as (docs/SECURITY.md): `--user` with a password
/// from `--password-file`, `--password` or `BLACKBOARD_PASSWORD`; or a token
/// from `--token` or `BLACKBOARD_TOKEN`. Flags win over the environment.
struct CredentialOptions: ParsableArguments {
    @Option(help: "Authenticate as this identity (with a password).")
    var user: String?

    @Option(help: ArgumentHelp("Read the password from the first line of this file.", valueName: "path"))
    var passwordFile: String?

    @Option(help: "The password (visible in the process list: prefer --password-file or BLACKBOARD_PASSWORD).")
    var password: String?

    @Option(help: "Authenticate with a token NAME.SECRET (or set BLACKBOARD_TOKEN).")
    var token: String?

    mutating func validate() throws {
        if passwordFile != nil && password != nil {
            throw ValidationError("--password and --password-file exclude each other")
        }
        if user != nil && token != nil { throw ValidationError("--user and --token exclude each other") }
        if user == nil && (password != nil || passwordFile != nil) {
            throw ValidationError("--password and --password-file need --user")
        }
        if user != nil && password == nil && passwordFile == nil && Self.environment("BLACKBOARD_PASSWORD") == nil {
            throw ValidationError("--user needs a password: --password-file, --password or BLACKBOARD_PASSWORD")
        }
        if let passwordFile {
            guard let line = Self.firstLine(of: passwordFile) else {
                throw ValidationError("cannot read --password-file \(passwordFile): \(String(cString: strerror(errno)))")
            }
            password = line
            self.passwordFile = nil
        }
    }

    /// The credentials to send; nil for none.
    var credentials: ClientCredentials? {
        if let user {
            let secret = password ?? Self.environment("BLACKBOARD_PASSWORD") ?? ""
            return .password(user: user, password: Array(secret.utf8))
        }
        if let token = token ?? Self.environment("BLACKBOARD_TOKEN") { return .token(token) }
        return nil
    }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// The first line of a file, without its line end; nil when unreadable.
    static func firstLine(of path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while true {
            let byte = fgetc(file)
            if byte == EOF || byte == 0x0A { break }
            bytes.append(UInt8(byte))
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
