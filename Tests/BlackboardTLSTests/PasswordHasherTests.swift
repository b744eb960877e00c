import BlackboardAccess
import BlackboardTLS
import Testing

/// PBKDF2-HMAC-SHA256 and HMAC-SHA256 against vectors computed independently
/// (Python's hashlib and `openssl kdf`), and the constant-time comparison.
@Suite struct PasswordHasherTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test(arguments: [
        ("password", "salt", 1, 32, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
        ("password", "salt", 4096, 32, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
        ("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40,
         "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"),
    ])
    func pbkdf2MatchesKnownVectors(password: String, salt: String, iterations: Int, length: Int, expected: String) {
        let derived = PasswordHasher.pbkdf2SHA256(
            password: Array(password.utf8), salt: Array(salt.utf8), iterations: iterations, length: length)
        #expect(Self.hex(derived) == expected)
    }

    @Test func emptyPasswordIsHashed() {
        let one = PasswordHasher.pbkdf2SHA256(password: [], salt: Array("salt".utf8), iterations: 2)
        let other = PasswordHasher.pbkdf2SHA256(password: Array("a".utf8), salt: Array("salt".utf8), iterations: 2)
        #expect(one.count == 32)
        #expect(one != other)
        #expect(Self.hex(one) == "62384466264daadc4144018c6bd864648272b34da8980d31521ffcce92ae003b")
    }

    @Test func hmacMatchesKnownVector() {
        let mac = PasswordHasher.hmacSHA256(key: Array("key".utf8), data: Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(Self.hex(mac) == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    @Test(arguments: [
        ([UInt8](), [UInt8](), true), ([1, 2, 3], [1, 2, 3], true), ([1, 2, 3], [1, 2, 4], false),
        ([1, 2, 3], [1, 2], false), ([0], [], false),
    ] as [([UInt8], [UInt8], Bool)])
    func constantTimeEquals(left: [UInt8], right: [UInt8], equal: Bool) {
        #expect(PasswordHasher.constantTimeEquals(left, right) == equal)
    }

    @Test func randomBytesDiffer() {
        let a = PasswordHasher.randomBytes(32), b = PasswordHasher.randomBytes(32)
        #expect(a.count == 32 && a != b)
    }

    @Test func policyHashVerifiesAndTokensAreWellFormed() {
        let hash = PasswordPolicy.hash(Array("s3cret".utf8), iterations: 1_000)
        #expect(hash.salt.count == PasswordHasher.saltBytes)
        let again = PasswordHasher.pbkdf2SHA256(password: Array("s3cret".utf8), salt: hash.salt, iterations: 1_000)
        #expect(PasswordHasher.constantTimeEquals(again, hash.hash))
        #expect(PasswordHash(parsing: hash.text) == hash)
        let token = PasswordPolicy.newToken(for: "svc.engine")
        #expect(token.secret.count == 43)
        #expect(Token(parsing: token.text) == token)
        #expect(token.secret.utf8.allSatisfy { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "=") })
    }
}
