import BlackboardAccess

/// How new secrets are hashed (`blackboard passwd`) and the decoy's cost.
public enum PasswordPolicy {
    /// PBKDF2-HMAC-SHA256 iterations of new entries. Measured on the 2-core
    /// development VM at about 0.4 µs per iteration (docs/SECURITY.md): 100,000
    /// take about 40 ms of one core, so that an offline guesser pays the same
    /// per guess, while the broker checks about 25 new logins a second on its one
    /// hashing thread; remembered successes cost an HMAC.
    public static let defaultIterations = 100_000

    /// The stored hash of a new secret, with a fresh random salt.
    public static func hash(_ secret: [UInt8], iterations: Int = defaultIterations) -> PasswordHash {
        let salt = PasswordHasher.randomBytes(PasswordHasher.saltBytes)
        let hash = PasswordHasher.pbkdf2SHA256(password: secret, salt: salt, iterations: iterations)
        return PasswordHash(iterations: iterations, salt: salt, hash: hash)
    }

    /// A new token for `name`: 32 random bytes in unpadded URL-safe Base64.
    public static func newToken(for name: String) -> Token {
        Token(name: name, secret: Base64.encode(PasswordHasher.randomBytes(32), urlSafe: true))
    }
}
