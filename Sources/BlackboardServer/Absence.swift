import BlackboardStorage

/// One registration of a client URI: its profile, or its publisher entry.
struct RegistrationKey: Hashable, Sendable {
    var uri: String
    var role: Role

    init(_ uri: String, _ role: Role) {
        self.uri = uri
        self.role = role
    }
}

/// A leased registration whose client is away. It stays in the broker's state
/// (a subscriber keeps its slot and its concepts stay in the aggregate profile;
/// a publisher stays registered) until `expiresAt`, or until a client says
/// `HELLO` with the same URI and resumes it.
struct Absence: Sendable {
    /// The lease the client held, in seconds.
    var leaseSeconds: UInt32
    /// When the connection closed (epoch ms): at start-up, for registrations
    /// that were connected when the broker stopped.
    var disconnectedAt: UInt64
    /// Tells this absence's expiry timer from those of earlier ones.
    var token: UInt64
    /// The address the client last connected from; nil when restored from disk.
    var peer: String?

    /// When the lease runs out (epoch ms).
    var expiresAt: UInt64 { disconnectedAt + UInt64(leaseSeconds) * 1_000 }
}
