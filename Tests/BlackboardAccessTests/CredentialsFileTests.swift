import BlackboardAccess
import Testing

/// The credentials file: parse, edit, format, and its errors; tokens; Base64.
@Suite struct CredentialsFileTests {
    static let hash = PasswordHash(iterations: 1000, salt: Array("saltsaltsaltsalt".utf8), hash: Array(repeating: 7, count: 32))

    @Test func roundTripsKeepingCommentsAndOrder() throws {
        let text = "# users\nalice:\(Self.hash.text)\n\nsvc.engine:\(Self.hash.text)\n"
        var file = try CredentialsFile(parsing: text)
        #expect(file.text == text)
        #expect(file["alice"] == Self.hash)
        #expect(file.entries.keys.sorted() == ["alice", "svc.engine"])
        let other = PasswordHash(iterations: 5, salt: [1], hash: [2])
        file.set("alice", other)
        file.set("bob", other)
        #expect(file.text == "# users\nalice:\(other.text)\n\nsvc.engine:\(Self.hash.text)\nbob:\(other.text)\n")
        let removed = file.remove("svc.engine")
        let removedAgain = file.remove("svc.engine")
        #expect(removed && !removedAgain)
        #expect(try CredentialsFile(parsing: file.text) == file)
    }

    @Test func hashSpelling() {
        #expect(Self.hash.text == "$pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")
        #expect(PasswordHash(parsing: Self.hash.text) == Self.hash)
    }

    @Test(arguments: [
        ("alice\n", 1, "expected name:"),
        ("ok:\(hash.text)\nbad name:\(hash.text)\n", 2, "is not a name"),
        ("alice:$pbkdf2-sha1$1$YQ==$YQ==\n", 1, "is not $pbkdf2-sha256"),
        ("alice:$pbkdf2-sha256$0$YQ==$YQ==\n", 1, "is not $pbkdf2-sha256"),
        ("alice:$pbkdf2-sha256$10$Y!==$YQ==\n", 1, "is not $pbkdf2-sha256"),
        ("alice:$pbkdf2-sha256$10$YQ==\n", 1, "is not $pbkdf2-sha256"),
        ("alice:\(hash.text)\nalice:\(hash.text)\n", 2, "alice is listed twice"),
    ])
    func reportsErrorsWithTheirLine(text: String, line: Int, message: String) {
        #expect {
            _ = try CredentialsFile(parsing: text)
        } throws: { error in
            guard let error = error as? AccessFileError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test(arguments: [
        ("alice.abc", "alice", "abc"), ("svc.engine.a-_b", "svc.engine", "a-_b"),
    ])
    func tokensSplitAtTheLastDot(text: String, name: String, secret: String) {
        #expect(Token(parsing: text) == Token(name: name, secret: secret))
    }

    @Test(arguments: ["nodot", ".secret", "name.", "a:b.secret"])
    func badTokens(text: String) {
        #expect(Token(parsing: text) == nil)
    }

    @Test(arguments: [
        ([UInt8](), "", ""), (Array("f".utf8), "Zg==", "Zg"), (Array("fo".utf8), "Zm8=", "Zm8"),
        (Array("foo".utf8), "Zm9v", "Zm9v"), ([0xFB, 0xFF], "+/8=", "-_8"),
    ] as [([UInt8], String, String)])
    func base64(bytes: [UInt8], standard: String, urlSafe: String) {
        #expect(Base64.encode(bytes) == standard)
        #expect(Base64.encode(bytes, urlSafe: true) == urlSafe)
        #expect(Base64.decode(standard) == bytes)
    }

    @Test(arguments: ["Zg=", "Z===", "Zg==Zg==", "Zm9v!A==", "=Zg="])
    func base64Rejects(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
