internal import COpenSSL

/// The cryptography of authentication, from libcrypto, behind plain Swift
/// types: PBKDF2-HMAC-SHA256, HMAC-SHA256, random bytes and constant-time
/// comparison (docs/SECURITY.md, "Authentication").
public enum PasswordHasher {
    /// Length of the derived keys and HMACs, in bytes.
    public static let digestBytes = 32
    /// Length of a new salt, in bytes.
    public static let saltBytes = 16

    /// PBKDF2-HMAC-SHA256 of `password` with `salt` (RFC 8018 §5.2).
    /// Costs `iterations` HMAC computations: run it off the broker's queue.
    public static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int = digestBytes) -> [UInt8] {
        precondition(iterations >= 1 && iterations <= Int(Int32.max) && length > 0)
        var output = [UInt8](repeating: 0, count: length)
        // A non-empty buffer, so the password pointer is never nil (an empty password is allowed).
        let passwordBuffer = password.isEmpty ? [0] : password
        let status = passwordBuffer.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBufferPointer { saltBytes in
                PKCS5_PBKDF2_HMAC(
                    passwordBytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(password.count),
                    saltBytes.baseAddress, Int32(salt.count), Int32(iterations), EVP_sha256(), Int32(length), &output)
            }
        }
        // Fails only when out of memory; a zero key then never matches a stored hash.
        precondition(status == 1, "PKCS5_PBKDF2_HMAC failed")
        return output
    }

    /// HMAC-SHA256 of `data` under `key`.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: digestBytes)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            data.withUnsafeBufferPointer { dataBytes in
                HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(key.count), dataBytes.baseAddress, data.count, &output, &length)
            }
        }
        precondition(result != nil && length == UInt32(digestBytes), "HMAC failed")
        return output
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let status = RAND_bytes(&bytes, Int32(count))
        precondition(status == 1, "RAND_bytes failed: no entropy")
        return bytes
    }

    /// Whether `a` and `b` are equal, in time that depends on their lengths only
    /// (CRYPTO_memcmp), not on where they first differ.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, a.count) == 0 }
        }
    }
}
