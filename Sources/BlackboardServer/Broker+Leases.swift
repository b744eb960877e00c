import BlackboardCore
import BlackboardProtocol
import BlackboardStorage
import Dispatch

/// Leases (seed 003): a client's registrations outlive its connection by the
/// lease granted at `HELLO`. Everything here runs on `queue`.
///
/// - Lease 0 (the default): the profile and the publisher entry end with the
///   connection, and publishers hear of the change at once.
/// - Lease L > 0: at disconnect each registration becomes an ``Absence``. An
///   away subscriber keeps its slot, so its concepts stay in the aggregate
///   profile and the messages it misses are counted; an away publisher stays
///   registered but `SYNC` does not wait for it. A `HELLO` with the same URI
///   within L seconds resumes both, with the new connection's lease; otherwise
///   they are removed when L runs out, and publishers get the new profile.
/// - The journal records all of it, so after a restart the registrations come
///   back away, with their leases running (Broker+Persistence.swift).
extension Broker {
    /// The lease granted for a `HELLO` that asked for `requested` seconds.
    func grantedLease(_ requested: Int?) -> UInt32 {
        UInt32(min(max(requested ?? 0, 0), Int(configuration.maxLeaseSeconds)))
    }

    /// Gives `session` (which just said `HELLO`) the registrations its URI left
    /// behind, and returns which roles it resumed.
    func resume(_ session: Session) -> [Role] {
        var resumed: [Role] = []
        let uri = session.uri
        let lease = session.leaseSeconds
        if let absence = absences.removeValue(forKey: RegistrationKey(uri, .subscriber)),
           let subscriber = blackboard.subscriberID(of: uri) {
            missedBySlot[subscriber.slot] = nil
            attach(session, to: subscriber)
            // Its profile is in force at the current version already.
            session.profileVersion = blackboard.aggregateVersion
            journal(absence.leaseSeconds == lease ? .reconnected(uri: uri, role: .subscriber)
                : .subscribe(uri: uri, entries: profileEntries(of: uri), leaseSeconds: lease))
            resumed.append(.subscriber)
        }
        if let absence = absences.removeValue(forKey: RegistrationKey(uri, .publisher)), blackboard.isPublisher(uri) {
            session.isPublisher = true
            publisherSessions[session.id] = session
            journal(absence.leaseSeconds == lease ? .reconnected(uri: uri, role: .publisher)
                : .register(uri: uri, leaseSeconds: lease))
            resumed.append(.publisher)
        }
        stats.leasesResumed += UInt64(resumed.count)
        return resumed
    }

    /// Keeps the registrations of a closing leased session as absences; returns
    /// false (changing nothing) when the session holds no lease.
    func leaveBehind(_ session: Session) -> Bool {
        guard session.leaseSeconds > 0 else { return false }
        let now = Clock.epochMilliseconds()
        if let subscriber = session.subscriber {
            session.subscriber = nil
            subscriberSessions[Int(subscriber.slot)] = nil
            missedBySlot[subscriber.slot] = 0
            keep(RegistrationKey(session.uri, .subscriber), lease: session.leaseSeconds, since: now, peer: "\(session.peer)")
        }
        if session.isPublisher {
            session.isPublisher = false
            publisherSessions[session.id] = nil
            keep(RegistrationKey(session.uri, .publisher), lease: session.leaseSeconds, since: now, peer: "\(session.peer)")
            checkSyncWaiters()
        }
        return true
    }

    /// Records an absence, journals the disconnect, and arms its expiry.
    func keep(_ key: RegistrationKey, lease: UInt32, since: UInt64, peer: String?, journaled: Bool = false) {
        nextAbsenceToken += 1
        let absence = Absence(leaseSeconds: lease, disconnectedAt: since, token: nextAbsenceToken, peer: peer)
        absences[key] = absence
        if !journaled { journal(.disconnected(uri: key.uri, role: key.role, at: since / 1_000)) }
        let now = Clock.epochMilliseconds()
        let remaining = absence.expiresAt > now ? absence.expiresAt - now : 0
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(remaining))) { [weak self] in
            self?.expire(key, token: absence.token)
        }
    }

    /// Removes an away registration whose lease ran out; publishers get the new profile.
    func expire(_ key: RegistrationKey, token: UInt64) {
        guard !isShuttingDown, let absence = absences[key], absence.token == token else { return }
        absences[key] = nil
        stats.leasesExpired += 1
        switch key.role {
        case .subscriber:
            journal(.unsubscribe(uri: key.uri))
            if let subscriber = blackboard.subscriberID(of: key.uri) { missedBySlot[subscriber.slot] = nil }
            push(blackboard.unsubscribe(key.uri).delta)
        case .publisher:
            journal(.unregister(uri: key.uri))
            blackboard.unregisterPublisher(key.uri)
            checkSyncWaiters()
        }
        logger.info("lease expired", metadata: ["uri": "\(key.uri)", "role": "\(key.role)",
                                                "lease_seconds": "\(absence.leaseSeconds)"])
        flushDirty()
    }

    /// The registered publishers `SYNC` waits for: those behind `version` with a
    /// live connection (an away publisher gets the whole profile when it resumes).
    func publishersBehind(_ version: UInt64) -> [String] {
        blackboard.publishers(behind: version).filter { absences[RegistrationKey($0, .publisher)] == nil }
    }

    /// The profile of `uri`, sorted, for journal records and listings.
    func profileEntries(of uri: String) -> [ProfileEntry] {
        blackboard.sortedProfile(of: uri) ?? []
    }

    /// Sizes the slot table to hold `subscriber` (a slot may have no session).
    func reserveSlot(_ subscriber: SubscriberID) {
        let slot = Int(subscriber.slot)
        if slot >= subscriberSessions.count {
            subscriberSessions.append(contentsOf: repeatElement(nil, count: slot + 1 - subscriberSessions.count))
        }
    }
}
