import BlackboardCore
import BlackboardProtocol
import Dispatch

/// Command dispatch: one exhaustive switch, one small method per verb.
/// Everything here runs on `queue`.
extension Broker {
    func run(_ command: Command, from session: Session) {
        switch command {
        // A refused HELLO may be retried, so only other commands close the door on it.
        case let .hello(hello): return greet(session, hello)
        case let .subscribe(entries): changeProfile(session, verb: "SUB", entries) { $0.subscribe($1, to: $2) }
        case let .add(entries): changeProfile(session, verb: "ADD", entries) { $0.add($2, for: $1) }
        case let .remove(entries): changeProfile(session, verb: "DEL", entries) { $0.remove($2, for: $1) }
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
        sessionsByURI[hello.uri] = session
        let ack = hello.acknowledgePublishes ? "1" : "0"
        reply(session) { ReplyEncoder.ok("HELLO", hello.uri, "version=1", "ack=\(ack)", "lease=0", into: &$0) }
    }

    private func changeProfile(
        _ session: Session, verb: String, _ entries: [ProfileEntry],
        _ apply: (inout Blackboard, String, [ProfileEntry]) -> ProfileChange
    ) {
        if verb == "ADD", let size = blackboard.profileCount(of: session.uri, adding: entries),
            size > configuration.limits.maxProfileEntries
        {
            let limit = configuration.limits.maxProfileEntries
            return fail(session, ProtocolError(.profileTooLarge, "profile would hold \(size) entries, limit is \(limit)", fatal: false))
        }
        let change = apply(&blackboard, session.uri, entries)
        attach(session, to: change.subscriber)
        session.profileVersion = change.version
        push(change.delta)
        reply(session) { ReplyEncoder.ok(verb, number: change.version, into: &$0) }
    }

    private func unsubscribe(_ session: Session) {
        let change = blackboard.unsubscribe(session.uri)
        attach(session, to: nil)
        session.profileVersion = change.version
        push(change.delta)
        reply(session) { ReplyEncoder.ok("UNSUB", number: change.version, into: &$0) }
    }

    /// Records which subscriber slot the session's profile occupies.
    private func attach(_ session: Session, to subscriber: SubscriberID?) {
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
        if version == 0 || blackboard.publishers(behind: version).isEmpty {
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
            let behind = blackboard.publishers(behind: version).count
            endSync(session)
            fail(session, ProtocolError(.syncTimeout, "\(behind) publishers behind version \(version) after \(timeout) ms"))
            resumeInput(session)
        }
    }

    /// Answers every waiting `SYNC` whose version all publishers have reached.
    func checkSyncWaiters() {
        for session in Array(syncWaiters.values) {
            guard case let .syncing(version, _) = session.state else { continue }
            if blackboard.publishers(behind: version).isEmpty {
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
    private func resumeInput(_ session: Session) {
        queue.async { [self] in
            guard session.state == .open else { return }
            execute(session, receivedAt: Clock.epochMilliseconds())
            setReadInterest(session, session.state == .open)
            flushDirty()
        }
    }
}
