import BlackboardAccess
import BlackboardTLS
import Dispatch

/// Checks secrets against stored PBKDF2 hashes without stalling the broker.
///
/// PBKDF2 costs milliseconds per check on purpose (docs/SECURITY.md, "Cost of a
/// verification"), so it never runs on the broker's queue: ``verify(name:secret:hash:completion:)``
/// is called there, runs the hash on `work` (one serial queue: at most one core
/// goes to hashing, the other stays with the broker) and calls back on the
/// broker's queue. At most ``maxPending`` checks wait; beyond that a check fails
/// at once, so a flood of HELLOs cannot queue unbounded work.
///
/// Successful checks are remembered, so that a storm of reconnecting good
/// clients costs one HMAC each: the cache key is HMAC-SHA256 under a key drawn
/// at start of (name, secret, stored hash), never the secret itself, and a
/// changed hash (a new password) misses.
final class Authenticator: @unchecked Sendable {
    // @unchecked Sendable: `cache` and `pending` are touched only on
    // `brokerQueue`; `work` only runs the pure hash function.
    /// What a check found.
    enum Verdict: Sendable {
        /// The secret matches the stored hash.
        case good
        /// It does not.
        case wrong
        /// No hash is stored under the name (checked against a decoy all the same).
        case unknown
        /// Too many checks are waiting: nothing was checked.
        case busy
    }

    static let maxPending = 256
    static let maxCached = 4_096

    private let brokerQueue: DispatchQueue
    private let work = DispatchQueue(label: "blackboard.auth")
    private let cacheKey = PasswordHasher.randomBytes(PasswordHasher.digestBytes)
    private var cache: Set<[UInt8]> = []
    private var pending = 0

    /// A hash that matches no secret, checked for unknown names so that their
    /// answer takes as long as a wrong password's.
    private static let decoy = PasswordHash(
        iterations: PasswordPolicy.defaultIterations, salt: PasswordHasher.randomBytes(PasswordHasher.saltBytes),
        hash: [UInt8](repeating: 0, count: PasswordHasher.digestBytes))

    init(brokerQueue: DispatchQueue) {
        self.brokerQueue = brokerQueue
    }

    /// Checks `secret` against `hash` (nil: unknown name, checked against a
    /// decoy, so that it takes as long), then calls `completion` on the broker's
    /// queue. Must be called on the broker's queue.
    func verify(name: String, secret: [UInt8], hash: PasswordHash?, completion: @escaping @Sendable (Verdict) -> Void) {
        var material = Array(name.utf8) + [0] + secret + [0]
        material += Array((hash ?? Self.decoy).text.utf8)
        let key = PasswordHasher.hmacSHA256(key: cacheKey, data: material)
        if hash != nil && cache.contains(key) {
            return completion(.good)
        }
        guard pending < Self.maxPending else { return completion(.busy) }
        pending += 1
        let stored = hash ?? Self.decoy
        work.async { [self] in
            let derived = PasswordHasher.pbkdf2SHA256(
                password: secret, salt: stored.salt, iterations: stored.iterations, length: stored.hash.count)
            let matches = hash != nil && PasswordHasher.constantTimeEquals(derived, stored.hash)
            brokerQueue.async { [self] in
                pending -= 1
                if matches {
                    if cache.count >= Self.maxCached { cache.removeAll(keepingCapacity: true) }
                    cache.insert(key)
                }
                completion(matches ? .good : hash == nil ? .unknown : .wrong)
            }
        }
    }

    /// Forgets every remembered success (the credentials file changed).
    /// Must be called on the broker's queue.
    func forget() {
        cache.removeAll()
    }
}
