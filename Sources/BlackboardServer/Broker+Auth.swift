import BlackboardAccess
import BlackboardCore
import BlackboardProtocol
import Dispatch
import Logging

/// Authentication in `HELLO` and the permission checks of `SUB`, `ADD` and
/// `PUB` (docs/SECURITY.md). Everything here runs on `queue`; the hashing runs
/// on the ``Authenticator``'s own queue and comes back here.
extension Broker {
    /// The access of a newly accepted connection: unrestricted with auth off;
    /// the anonymous roles' permissions, if the access file has them; otherwise
    /// nothing until `HELLO` gives credentials.
    func initialAccess() -> AccessState {
        let auth = configuration.auth
        guard auth.clientsAuthenticate else { return .unrestricted }
        if let permissions = auth.policy.anonymousPermissions {
            return .granted(Grant(identity: nil, permissions: permissions))
        }
        return .credentialsRequired
    }

    /// Settles who the client of a `HELLO` is, then welcomes it: credentials are
    /// checked off the queue, with reading paused meanwhile; without credentials,
    /// a verified certificate's name (when it is a listed identity) or the
    /// anonymous roles serve; failing those, `auth_required`.
    func authenticate(_ session: Session, _ hello: Hello) {
        let auth = configuration.auth
        let name: String, secret: [UInt8], method: String
        if let text = hello.token {
            guard let token = Token(parsing: text) else {
                session.state = .authenticating
                setReadInterest(session, false)
                return rejectCredentials(of: session, user: "?", reason: "token is not NAME.SECRET")
            }
            (name, secret, method) = (token.name, Array(token.secret.utf8), "token")
        } else if let user = hello.user, let password = hello.password {
            (name, secret, method) = (user, password, "password")
        } else {
            if let identity = certificateIdentity(of: session) {
                session.access = .granted(Grant(identity: identity,
                                                permissions: auth.policy.permissions(of: identity)))
                logger.info("authenticated", metadata: ["id": "\(session.id)", "peer": "\(session.peer)",
                                                        "identity": "\(identity)", "method": "certificate"])
                return welcome(session, hello)
            }
            if let permissions = auth.policy.anonymousPermissions {
                session.access = .granted(Grant(identity: nil, permissions: permissions))
                return welcome(session, hello)
            }
            return fail(session, ProtocolError(
                .authRequired, "this broker needs credentials: HELLO uri user=NAME password=SECRET, or token=NAME.SECRET"))
        }
        session.state = .authenticating
        setReadInterest(session, false)
        authenticator.verify(name: name, secret: secret, hash: auth.credentials[name]) { [weak self, weak session] verdict in
            guard let self, let session, session.state == .authenticating else { return }
            switch verdict {
            case .good: break
            case .wrong: return rejectCredentials(of: session, user: name, reason: "wrong credentials")
            case .unknown: return rejectCredentials(of: session, user: name, reason: "unknown name")
            case .busy:
                // Not the client's fault, and not a failure: it may come back later.
                session.state = .open
                logger.warning("credential checks backed up, connection refused",
                               metadata: ["id": "\(session.id)", "peer": "\(session.peer)", "user": "\(name)"])
                fail(session, ProtocolError(.tooManyConnections, "too many credential checks waiting; retry later"))
                flushDirty()
                return
            }
            failurePenalty.succeed(session.peer.host)
            session.state = .open
            session.access = .granted(Grant(identity: name,
                                            permissions: configuration.auth.policy.permissions(of: name)))
            logger.info("authenticated", metadata: ["id": "\(session.id)", "peer": "\(session.peer)",
                                                    "identity": "\(name)", "method": "\(method)"])
            welcome(session, hello)
            flushDirty()
            resumeInput(session)
        }
    }

    /// Counts and logs a failed authentication, then answers `auth_failed` (and
    /// closes) after the address's penalty delay, on a timer: the queue never
    /// blocks. The session stays `.authenticating`, reading nothing, until then.
    func rejectCredentials(of session: Session, user: String, reason: String) {
        stats.authFailures += 1
        let auth = configuration.auth
        let delay = failurePenalty.fail(session.peer.host, now: Clock.monotonicNanoseconds() / 1_000_000,
                                        base: auth.failureDelayMilliseconds, cap: auth.failureDelayMaxMilliseconds)
        logger.warning("authentication failed", metadata: ["id": "\(session.id)", "peer": "\(session.peer)",
                                                           "user": "\(user)", "reason": "\(reason)",
                                                           "delay_ms": "\(delay)"])
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay))) { [weak self, weak session] in
            guard let self, let session, session.state == .authenticating else { return }
            session.state = .open
            fail(session, ProtocolError(.authFailed, "authentication failed"))
            flushDirty()
        }
    }

    /// The name a verified client certificate gives, under `auth.cert_identity`,
    /// if the access file lists it as an identity.
    func certificateIdentity(of session: Session) -> String? {
        guard let names = session.transport.peerCertificateNames else { return nil }
        let name: String? = switch configuration.auth.certificateIdentity {
        case .none: nil
        case .commonName: names.commonName
        case .alternativeName: names.alternativeNames.first
        }
        guard let name, configuration.auth.policy.identities[name] != nil else { return nil }
        return name
    }

    /// Whether a session that has no identity yet may run `command` (answers
    /// `auth_required` if not). Only called when auth is on.
    func admitsUnauthenticated(_ command: Command, from session: Session) -> Bool {
        switch command {
        case .hello, .ping, .pong, .quit: return true
        case .subscribe, .add, .remove, .unsubscribe, .register, .unregister, .publish, .acknowledge, .sync:
            fail(session, ProtocolError(.authRequired, "say HELLO with credentials first"))
            return false
        }
    }

    /// The error refusing a `SUB` or `ADD` of `entries`, listing every forbidden
    /// entry; nil when all are permitted.
    func forbiddenSubscription(_ entries: [ProfileEntry], by session: Session) -> ProtocolError? {
        guard case let .granted(grant) = session.access else { return nil }
        let forbidden = grant.permissions.forbiddenSubscriptions(entries)
        if forbidden.isEmpty { return nil }
        return ProtocolError(.forbidden, forbidden.map(\.text).joined(separator: " "))
    }

    /// Whether a restricted session may publish a message with these concepts;
    /// if not, answers `forbidden` listing the forbidden concepts (or
    /// `auth_required`), and nothing is delivered.
    func permitsPublish(storage: UnsafeRawBufferPointer, pairs: UnsafeBufferPointer<PairSpan>, from session: Session) -> Bool {
        guard case let .granted(grant) = session.access else {
            fail(session, ProtocolError(.authRequired, "say HELLO with credentials first"))
            return false
        }
        var forbidden: [String] = []
        for pair in pairs {
            let concept = UnsafeRawBufferPointer(rebasing: storage[pair.concept])
            if !grant.mayPublish(concept) {
                let text = String(decoding: concept, as: UTF8.self)
                if !forbidden.contains(text) { forbidden.append(text) }
            }
        }
        if forbidden.isEmpty { return true }
        fail(session, ProtocolError(.forbidden, forbidden.joined(separator: " ")))
        return false
    }

    /// Re-evaluates every granted session's permissions under the access file
    /// now in force (after a reload): identities stay, permissions follow the file.
    func reapplyAccessPolicy() {
        let policy = configuration.auth.policy
        for session in sessions.values {
            guard case let .granted(grant) = session.access else { continue }
            if let identity = grant.identity {
                grant.permissions = policy.permissions(of: identity)
            } else {
                grant.permissions = policy.anonymousPermissions ?? Permissions()
            }
        }
    }
}
