import BlackboardCore
import BlackboardProtocol
import BlackboardStorage
import Dispatch

/// Command dispatch: one exhaustive switch, one small method per verb.
/// Everything here runs on `queue`.
extension Broker {
    func run(_ command: Command, from session: Session) {
        if case .credentialsRequired = session.access, !admitsUnauthenticated(command, from: session) { return }
        switch command {
        // A refused HELLO may be retried, so only other commands close the door on it.
        case let .hello(hello): return greet(session, hello)
        case let .subscribe(entries): changeProfile(session, .replace, entries)
        case let .add(entries): changeProfile(session, .add, entries)
        case let .remove(entries): changeProfile(session, .remove, entries)
        case .unsubscribe: unsubscribe(session)
        case .register: register(session)
        case .unregister: unregister(session)
        case let .publish(publication): publish(publication, from: session)
        case let .acknowledge(version): acknowledge(version, from: session)
        case let .sync(timeout): sync(session, timeoutMilliseconds: timeout)
        case .ping: reply(session) { ReplyEncoder.encode(.pong, into: &$0) }
        case .pong: break
        case .quit:
            reply(session) { ReplyEncoder.ok("QUIT", into: &$0) }
            beginClosing(session, reason: .quit)
        }
        session.executedCommand = true
    }

    /// Appends a reply to the session's output.
    @inline(__always)
    func reply(_ session: Session, _ encode: (inout [UInt8]) -> Void) {
        replyScratch.removeAll(keepingCapacity: true)
        encode(&replyScratch)
        replyScratch.withUnsafeBytes { session.output.append($0) }
        markDirty(session)
    }

    private func greet(_ session: Session, _ hello: Hello) {
        if session.saidHello || session.executedCommand {
            let what = session.saidHello ? "HELLO was already sent" : "HELLO must be the first command"
            return fail(session, ProtocolError(.badState, what))
        }
        if hello.uri.hasPrefix(Session.generatedURIPrefix) {
            return fail(session, ProtocolError(.badURI, "URIs starting with \(Session.generatedURIPrefix) are reserved for connections without HELLO"))
        }
        if configuration.auth.clientsAuthenticate { return authenticate(session, hello) }
        welcome(session, hello)
    }

    /// Makes `hello` the session's identity and answers `+OK HELLO` (the client
    /// is authenticated, or auth is off).
    func welcome(_ session: Session, _ hello: Hello) {
        session.saidHello = true
        if let previous = sessionsByURI[hello.uri], previous !== session, previous.isOpen {
            reply(previous) {
                ReplyEncoder.error(ProtocolError(.replaced, "a newer connection said HELLO as \(hello.uri)"), into: &$0)
            }
            beginClosing(previous, reason: .replaced)
        }
        if sessionsByURI[session.uri] === session { sessionsByURI[session.uri] = nil }
        session.uri = hello.uri
        session.uriBytes = Array(hello.uri.utf8)
        session.name = hello.name
        session.acknowledgesPublishes = hello.acknowledgePublishes
        session.leaseSeconds = grantedLease(hello.leaseSeconds)
        sessionsByURI[hello.uri] = session
        let resumed = resume(session)
        var fields = [hello.uri, "version=1", "ack=\(hello.acknowledgePublishes ? 1 : 0)", "lease=\(session.leaseSeconds)"]
        if !resumed.isEmpty {
            fields.append("resumed=" + resumed.map { $0 == .subscriber ? "sub" : "pub" }.joined(separator: ","))
        }
        reply(session) { ReplyEncoder.ok("HELLO", fields, into: &$0) }
        // A resumed publisher may have missed changes while away: it gets the whole profile.
        if session.isPublisher { sendProfile(to: session) }
    }

    /// Pushes the whole aggregate profile (`PROFILE`) to a publisher.
    private func sendProfile(to session: Session) {
        let (version, entries) = blackboard.registerPublisher(session.uri)
        stats.profilePushes += 1
        reply(session) { ReplyEncoder.profile(version: version, entries: entries, into: &$0) }
    }

    /// What a profile command does to the profile.
    enum ProfileEdit {
        case replace, add, remove

        var verb: String {
            switch self {
            case .replace: "SUB"
            case .add: "ADD"
            case .remove: "DEL"
            }
        }
    }

    /// The journal record of a profile change by a leased session, or nil when
    /// there is nothing to persist (lease 0, or a DEL for a URI with no profile).
    private func record(of edit: ProfileEdit, _ entries: [ProfileEntry], by session: Session) -> StorageRecord? {
        guard session.leaseSeconds > 0 else { return nil }
        let persisted = session.subscriber != nil
        switch edit {
        case .replace: return .subscribe(uri: session.uri, entries: entries, leaseSeconds: session.leaseSeconds)
        case .add: return persisted ? .add(uri: session.uri, entries: entries)
            : .subscribe(uri: session.uri, entries: entries, leaseSeconds: session.leaseSeconds)
        case .remove: return persisted ? .remove(uri: session.uri, entries: entries) : nil
        }
    }

    /// Journals `record` (if any); false after answering `storage_failed`.
    private func persist(_ record: StorageRecord?, for session: Session, verb: String) -> Bool {
        guard let record, !journal(record) else { return true }
        fail(session, ProtocolError(.storageFailed, "\(verb) not applied: the data directory cannot record it (\(storageFailure ?? "unknown"))"))
        return false
    }

    private func changeProfile(_ session: Session, _ edit: ProfileEdit, _ entries: [ProfileEntry]) {
        if edit != .remove, session.access.isRestricted, let error = forbiddenSubscription(entries, by: session) {
            return fail(session, error)
        }
        if edit == .add, let size = blackboard.profileCount(of: session.uri, adding: entries),
            size > configuration.limits.maxProfileEntries
        {
            let limit = configuration.limits.maxProfileEntries
            return fail(session, ProtocolError(.profileTooLarge, "profile would hold \(size) entries, limit is \(limit)", fatal: false))
        }
        guard persist(record(of: edit, entries, by: session), for: session, verb: edit.verb) else { return }
        let change = switch edit {
        case .replace: blackboard.subscribe(session.uri, to: entries)
        case .add: blackboard.add(entries, for: session.uri)
        case .remove: blackboard.remove(entries, for: session.uri)
        }
        attach(session, to: change.subscriber)
        session.profileVersion = change.version
        push(change.delta)
        reply(session) { ReplyEncoder.ok(edit.verb, number: change.version, into: &$0) }
    }

    private func unsubscribe(_ session: Session) {
        let durable = session.leaseSeconds > 0 && session.subscriber != nil
        guard persist(durable ? .unsubscribe(uri: session.uri) : nil, for: session, verb: "UNSUB") else { return }
        let change = blackboard.unsubscribe(session.uri)
        attach(session, to: nil)
        session.profileVersion = change.version
        push(change.delta)
        reply(session) { ReplyEncoder.ok("UNSUB", number: change.version, into: &$0) }
    }

    /// Records which subscriber slot the session's profile occupies.
    func attach(_ session: Session, to subscriber: SubscriberID?) {
        if let old = session.subscriber, old != subscriber { subscriberSessions[Int(old.slot)] = nil }
        session.subscriber = subscriber
        guard let subscriber else { return }
        let slot = Int(subscriber.slot)
        if slot >= subscriberSessions.count {
            subscriberSessions.append(contentsOf: repeatElement(nil, count: slot + 1 - subscriberSessions.count))
        }
        subscriberSessions[slot] = Unmanaged.passUnretained(session)
    }

    /// Sends a change of the aggregate profile to every registered publisher.
    func push(_ delta: ProfileDelta?) {
        guard let delta else { return }
        var frame: [UInt8] = []
        ReplyEncoder.delta(delta, into: &frame)
        for publisher in publisherSessions.values where publisher.isOpen {
            frame.withUnsafeBytes { publisher.output.append($0) }
            stats.profilePushes += 1
            markDirty(publisher)
            enforceOutputCap(publisher)
        }
    }

    private func register(_ session: Session) {
        let durable = session.leaseSeconds > 0 && !session.isPublisher
        guard persist(durable ? .register(uri: session.uri, leaseSeconds: session.leaseSeconds) : nil,
                      for: session, verb: "REG") else { return }
        let (version, entries) = blackboard.registerPublisher(session.uri)
        session.isPublisher = true
        publisherSessions[session.id] = session
        stats.profilePushes += 1
        reply(session) {
            ReplyEncoder.ok("REG", into: &$0)
            ReplyEncoder.profile(version: version, entries: entries, into: &$0)
        }
        // A new publisher has acknowledged nothing yet: waiting SYNCs now wait for it too.
    }

    private func unregister(_ session: Session) {
        if session.isPublisher {
            let durable = session.leaseSeconds > 0
            guard persist(durable ? .unregister(uri: session.uri) : nil, for: session, verb: "UNREG") else { return }
            session.isPublisher = false
            publisherSessions[session.id] = nil
            blackboard.unregisterPublisher(session.uri)
            checkSyncWaiters()
        }
        reply(session) { ReplyEncoder.ok("UNREG", into: &$0) }
    }

    private func acknowledge(_ version: UInt64, from session: Session) {
        guard session.isPublisher else {
            return fail(session, ProtocolError(.notPublisher, "ACK needs REG first"))
        }
        do {
            try blackboard.acknowledge(version, by: session.uri)
        } catch {
            return fail(session, ProtocolError(.badVersion, "version \(version) was never sent; current is \(blackboard.aggregateVersion)"))
        }
        checkSyncWaiters()
    }

    private func sync(_ session: Session, timeoutMilliseconds: UInt64?) {
        let version = session.profileVersion
        // Version 0 is the empty union: a client that changed no profile waits for nothing.
        if version == 0 || publishersBehind(version).isEmpty {
            return reply(session) { ReplyEncoder.ok("SYNC", number: version, into: &$0) }
        }
        nextSyncToken += 1
        let token = nextSyncToken
        session.state = .syncing(version: version, token: token)
        syncWaiters[session.id] = session
        setReadInterest(session, false)
        let timeout = min(timeoutMilliseconds ?? configuration.syncDefaultTimeoutMilliseconds,
                          configuration.syncMaxTimeoutMilliseconds)
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(timeout))) { [weak self, weak session] in
            guard let self, let session, session.state == .syncing(version: version, token: token) else { return }
            let behind = publishersBehind(version).count
            endSync(session)
            fail(session, ProtocolError(.syncTimeout, "\(behind) publishers behind version \(version) after \(timeout) ms"))
            resumeInput(session)
        }
    }

    /// Answers every waiting `SYNC` whose version all publishers have reached.
    func checkSyncWaiters() {
        for session in Array(syncWaiters.values) {
            guard case let .syncing(version, _) = session.state else { continue }
            if publishersBehind(version).isEmpty {
                endSync(session)
                reply(session) { ReplyEncoder.ok("SYNC", number: version, into: &$0) }
                resumeInput(session)
            }
        }
    }

    private func endSync(_ session: Session) {
        syncWaiters[session.id] = nil
        session.state = .open
    }

    /// Runs the commands that arrived while the session waited, then reads again.
    func resumeInput(_ session: Session) {
        queue.async { [self] in
            guard session.state == .open else { return }
            execute(session, receivedAt: Clock.epochMilliseconds())
            setReadInterest(session, session.state == .open)
            flushDirty()
        }
    }
}
