/// A stored secret: PBKDF2-HMAC-SHA256 of the password with a random salt,
/// spelled `$pbkdf2-sha256$ITERATIONS$SALT$HASH` (salt and hash in standard
/// Base64). The hashing itself is BlackboardTLS's (libcrypto); this type only
/// holds and spells the parameters.
public struct PasswordHash: Equatable, Sendable {
    /// The scheme tag.
    public static let scheme = "pbkdf2-sha256"
    /// Bounds of the iteration count a stored hash may name (a huge count from a
    /// tampered file would stall verification).
    public static let iterationRange = 1...100_000_000

    /// PBKDF2 iterations.
    public var iterations: Int
    /// The salt.
    public var salt: [UInt8]
    /// The derived key.
    public var hash: [UInt8]

    /// A hash from its parts.
    public init(iterations: Int, salt: [UInt8], hash: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// Parses `$pbkdf2-sha256$ITERATIONS$SALT$HASH`; nil when it is not that.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == Self.scheme,
              let iterations = Int(parts[2]), Self.iterationRange.contains(iterations),
              let salt = Base64.decode(parts[3]), !salt.isEmpty,
              let hash = Base64.decode(parts[4]), !hash.isEmpty
        else { return nil }
        self.init(iterations: iterations, salt: salt, hash: hash)
    }

    /// The stored spelling.
    public var text: String {
        "$\(Self.scheme)$\(iterations)$\(Base64.encode(salt))$\(Base64.encode(hash))"
    }
}
