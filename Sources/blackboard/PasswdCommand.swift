import ArgumentParser
import BlackboardAccess
import BlackboardTLS
import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

/// `blackboard passwd FILE NAME`: sets, replaces or deletes an identity's entry
/// in a credentials file (docs/SECURITY.md, "Credentials file"), keeping the
/// other lines. The file is replaced atomically (temporary file, fsync, rename)
/// with mode 0600; no secret is ever written in clear.
struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Set a password or make a token in a credentials file (auth.credentials).",
        discussion: """
            Without options, asks for the password twice without echo (on a terminal). \
            --stdin reads it from the first line of standard input instead. --token makes a \
            random token NAME.SECRET, stores its hash and prints the token once: keep it, it \
            cannot be shown again. The broker re-reads the file on SIGHUP.
            """
    )

    @Flag(help: "Make a random token for NAME instead of a password, and print it.")
    var token = false

    @Flag(help: "Remove NAME's entry.")
    var delete = false

    @Flag(help: "Read the password from the first line of standard input.")
    var stdin = false

    @Option(help: "PBKDF2 iterations of the new hash.")
    var iterations = PasswordPolicy.defaultIterations

    @Argument(help: "The credentials file (created if missing).")
    var file: String

    @Argument(help: "The identity's name.")
    var name: String

    func validate() throws {
        guard CredentialName.isValid(name) else {
            throw ValidationError("\(name) is not a name: printable ASCII without spaces or ':'")
        }
        guard [token, delete, stdin].filter({ $0 }).count <= 1 else {
            throw ValidationError("--token, --delete and --stdin exclude each other")
        }
        guard PasswordHash.iterationRange.contains(iterations) else {
            throw ValidationError("--iterations must be between 1 and \(PasswordHash.iterationRange.upperBound)")
        }
    }

    func run() throws {
        var credentials = try load()
        if delete {
            guard credentials.remove(name) else { fail("\(file): no entry for \(name)") }
            try save(credentials)
            return
        }
        if token {
            let made = PasswordPolicy.newToken(for: name)
            credentials.set(name, PasswordPolicy.hash(Array(made.secret.utf8), iterations: iterations))
            try save(credentials)
            Terminal.writeLine(made.text)
            return
        }
        let password = stdin ? readStandardInputLine() : promptTwice()
        guard let password, !password.isEmpty else { fail("no password given") }
        credentials.set(name, PasswordPolicy.hash(password, iterations: iterations))
        try save(credentials)
    }

    private func fail(_ message: String) -> Never {
        Terminal.writeError("blackboard: \(message)")
        Terminal.exit(ExitStatus.usage)
    }

    /// The file's entries; empty when it does not exist yet.
    private func load() throws -> CredentialsFile {
        guard let handle = fopen(file, "r") else {
            if errno == ENOENT { return CredentialsFile() }
            fail("\(file): \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = fread(&chunk, 1, chunk.count, handle)
            bytes += chunk[..<count]
            if count < chunk.count { break }
        }
        do {
            return try CredentialsFile(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            fail("\(file):\(error.line): \(error.message)")
        }
    }

    private func save(_ credentials: CredentialsFile) throws {
        do {
            try AtomicFile.write(Array(credentials.text.utf8), to: file, mode: 0o600)
        } catch {
            fail("\(file): \(error)")
        }
    }

    /// The first line of standard input, without its line end.
    private func readStandardInputLine() -> [UInt8]? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(0, &byte, 1) == 1 {
            if byte == 0x0A { break }
            line.append(byte)
        }
        if line.last == 0x0D { line.removeLast() }
        return line
    }

    /// Asks twice on the terminal with echo off; nil when the answers differ.
    private func promptTwice() -> [UInt8]? {
        guard isatty(0) == 1 else { fail("standard input is not a terminal: use --stdin") }
        let first = prompt("Password for \(name): ")
        let second = prompt("Again: ")
        guard first == second else { fail("the passwords differ") }
        return first
    }

    private func prompt(_ text: String) -> [UInt8]? {
        var bytes = Array(text.utf8)
        _ = write(2, &bytes, bytes.count)
        var saved = termios()
        tcgetattr(0, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            var newline: UInt8 = 0x0A
            _ = write(2, &newline, 1)
        }
        return readStandardInputLine()
    }
}
