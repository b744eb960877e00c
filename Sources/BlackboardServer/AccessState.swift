import BlackboardAccess

/// What a session may do, as authentication left it.
enum AccessState {
    /// Auth is off: everything.
    case unrestricted
    /// Auth is on and the client is nobody yet, and clients without credentials
    /// have no role: only `HELLO`, `PING`, `PONG` and `QUIT`.
    case credentialsRequired
    /// Held to an identity's (or the anonymous roles') permissions.
    case granted(Grant)

    /// The authenticated name, if any.
    var identity: String? {
        if case let .granted(grant) = self { return grant.identity }
        return nil
    }

    /// Whether the publish path must check concepts.
    @inline(__always)
    var isRestricted: Bool {
        if case .unrestricted = self { return false }
        return true
    }
}

/// An identity and its permissions, as the current access file grants them.
/// A class so the publish path reads it without copying the sets.
final class Grant {
    /// The authenticated name; nil for a client without credentials (anonymous roles).
    let identity: String?
    /// Permissions under the access file in force; replaced on reload.
    var permissions: Permissions {
        didSet { publishVerdicts.removeAll() }
    }
    /// The latest publish verdicts (the publish path asks about the same few
    /// concepts again and again).
    private var publishVerdicts = VerdictCache()

    init(identity: String?, permissions: Permissions) {
        self.identity = identity
        self.permissions = permissions
    }

    /// Whether `concept` (a valid, non-empty concept's bytes) may be published.
    func mayPublish(_ concept: UnsafeRawBufferPointer) -> Bool {
        if let known = publishVerdicts.verdict(for: concept) { return known }
        let verdict = permissions.mayPublish(concept)
        publishVerdicts.remember(verdict, for: concept)
        return verdict
    }
}
