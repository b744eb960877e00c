import BlackboardCore
import BlackboardStorage
import Dispatch
import Logging

/// The data directory under the broker: load on start, journal every change of
/// a leased registration, snapshot past the threshold and at shutdown.
/// Everything here runs on `queue` (start-up runs before any connection).
///
/// Durability. A command that changes a leased registration is journaled
/// before it is applied; when the append fails the command is refused with
/// `storage_failed` and nothing changes. Under `fsync = always` no output
/// leaves the broker while appended records wait for their fsync
/// (``commitJournal()``, called by `flush`): one fsync covers every command
/// of a read batch (group commit), and a `+OK` is never sent for a change
/// that is not on disk. Under `interval` a timer fsyncs; under `never` the
/// kernel does.
///
/// Failure. After a failed append or fsync the journal may end in a torn or
/// lost record, so nothing more is appended to it: the next record first
/// writes a snapshot of the broker's state (which is exact: refused commands
/// changed nothing) and a fresh journal. Until that succeeds, changes of
/// leased registrations are refused, `/healthz` answers 503, and disconnects
/// and expiries are only in memory (a restart treats them conservatively).
extension Broker {
    /// Opens the data directory, rebuilds the state it holds, and arms the
    /// fsync timer. Called by ``start()`` before the listeners exist.
    func openStorage() throws(StorageError) {
        guard let settings = configuration.storage else {
            logger.notice("no data directory configured: registrations are not persisted")
            return
        }
        let (directory, state, report) = try DataDirectory.open(settings.directory, policy: settings.fsync)
        if case let .torn(offset, bytes) = report.tail {
            logger.warning("journal ended in a torn record (a crash mid-write): cut \(bytes) bytes at offset \(offset)",
                           metadata: ["file": "\(settings.directory)/\(Recovery.journalFile)"])
        }
        logger.info("data directory loaded", metadata: [
            "dir": "\(settings.directory)", "snapshot_generation": "\(report.snapshotGeneration.map(String.init) ?? "none")",
            "journal_records": "\(report.journalRecords)", "subscribers": "\(report.subscribers)",
            "publishers": "\(report.publishers)", "fsync": "\(settings.fsync.rawValue)",
        ])
        storage = directory
        restore(state)
        commitJournal()
        if settings.fsync == .interval { startFsyncTimer(every: settings.fsyncIntervalMilliseconds) }
    }

    /// Rebuilds the stores from `state`: every registration comes back away
    /// (no connection survives a restart), with its lease running from its
    /// disconnect, or from now for those connected when the broker stopped.
    /// Leases already run out are expired at once.
    private func restore(_ state: PersistedState) {
        let now = Clock.epochMilliseconds()
        var expired: [(RegistrationKey, UInt64)] = []
        func away(_ key: RegistrationKey, lease: UInt32, at seconds: UInt64?) {
            let since = seconds.map { $0 * 1_000 } ?? now
            keep(key, lease: lease, since: since, peer: nil, journaled: seconds != nil)
            if let absence = absences[key], absence.expiresAt <= now { expired.append((key, absence.token)) }
        }
        for (uri, subscriber) in state.subscribers.sorted(by: { $0.key < $1.key }) {
            let change = blackboard.subscribe(uri, to: subscriber.entries)
            if let id = change.subscriber {
                reserveSlot(id)
                missedBySlot[id.slot] = 0
            }
            away(RegistrationKey(uri, .subscriber), lease: subscriber.leaseSeconds, at: subscriber.disconnectedAt)
        }
        for (uri, publisher) in state.publishers.sorted(by: { $0.key < $1.key }) {
            _ = blackboard.registerPublisher(uri)
            away(RegistrationKey(uri, .publisher), lease: publisher.leaseSeconds, at: publisher.disconnectedAt)
        }
        stats.restoredSubscribers = UInt64(state.subscribers.count)
        stats.restoredPublishers = UInt64(state.publishers.count)
        for (key, token) in expired { expire(key, token: token) }
    }

    /// Appends `record` to the journal; false when it could not be (the caller
    /// refuses the command). True when nothing is persisted.
    @discardableResult
    func journal(_ record: StorageRecord) -> Bool {
        guard let storage else { return true }
        if storageFailure != nil {
            writeSnapshot(reason: "recovering from a storage failure")
            if storageFailure != nil { return false }
        }
        do {
            try storage.append(record)
        } catch {
            storageFailed(error, doing: "journal append")
            return false
        }
        stats.journalRecords += 1
        journalNeedsCommit = true
        return true
    }

    /// Ends a batch of appends: fsyncs them under `fsync = always` (see the top
    /// of the file), then compacts if the journal passed the threshold.
    func commitJournal() {
        journalNeedsCommit = false
        guard let storage, storageFailure == nil else { return }
        do {
            if storage.journal.needsCommit { stats.fsyncs += 1 }
            try storage.commit()
        } catch {
            return storageFailed(error, doing: "journal fsync")
        }
        if let threshold = configuration.storage?.snapshotThresholdBytes, storage.journal.size >= threshold {
            writeSnapshot(reason: "journal passed \(threshold) bytes")
        }
    }

    /// Writes the state as a snapshot and starts an empty journal. Clears a
    /// storage failure when it succeeds. O(persisted state).
    func writeSnapshot(reason: String) {
        guard let storage else { return }
        let started = Clock.monotonicNanoseconds()
        let state = persistedState()
        let collected = Clock.monotonicNanoseconds()
        do {
            try storage.writeSnapshot(state)
        } catch {
            return storageFailed(error, doing: "snapshot")
        }
        journalNeedsCommit = false
        stats.snapshots += 1
        if let failure = storageFailure {
            logger.notice("storage recovered by a snapshot", metadata: ["after": "\(failure)"])
            storageFailure = nil
        }
        logger.info("snapshot written", metadata: [
            "reason": "\(reason)", "generation": "\(storage.journal.generation)",
            "subscribers": "\(state.subscribers.count)", "publishers": "\(state.publishers.count)",
            "ms": "\((Clock.monotonicNanoseconds() - started) / 1_000_000)",
            "collect_ms": "\((collected - started) / 1_000_000)",
        ])
    }

    /// The persisted stores as they stand: every leased registration, connected or away.
    /// O(leased registrations + their profiles).
    func persistedState() -> PersistedState {
        var state = PersistedState()
        state.subscribers.reserveCapacity(blackboard.subscriberCount)
        state.publishers.reserveCapacity(blackboard.publisherCount)
        for session in sessions.values where session.leaseSeconds > 0 {
            if session.subscriber != nil {
                state.subscribers[session.uri] = .init(
                    entries: profileEntries(of: session.uri), leaseSeconds: session.leaseSeconds, disconnectedAt: nil)
            }
            if session.isPublisher {
                state.publishers[session.uri] = .init(leaseSeconds: session.leaseSeconds, acknowledged: nil,
                                                      disconnectedAt: nil)
            }
        }
        for (key, absence) in absences {
            let at = absence.disconnectedAt / 1_000
            switch key.role {
            case .subscriber:
                state.subscribers[key.uri] = .init(
                    entries: profileEntries(of: key.uri), leaseSeconds: absence.leaseSeconds, disconnectedAt: at)
            case .publisher:
                state.publishers[key.uri] = .init(leaseSeconds: absence.leaseSeconds, acknowledged: nil, disconnectedAt: at)
            }
        }
        return state
    }

    /// Final snapshot and close, at the end of shutdown (every session is gone,
    /// so every leased registration is an absence by now).
    func closeStorage() {
        fsyncTimer?.cancel()
        fsyncTimer = nil
        guard let storage else { return }
        writeSnapshot(reason: "shutdown")
        storage.close()
        self.storage = nil
    }

    private func storageFailed(_ error: StorageError, doing what: String) {
        stats.persistenceErrors += 1
        storageFailure = "\(what): \(error)"
        journalNeedsCommit = false
        logger.error("storage failed; changes of leased registrations are refused until a snapshot succeeds",
                     metadata: ["during": "\(what)", "error": "\(error)"])
    }

    /// The `interval` policy's tick: fsyncs the journal if anything was appended.
    private func syncJournal() {
        guard let storage, storageFailure == nil, storage.journal.isDirty else { return }
        do {
            try storage.sync()
            stats.fsyncs += 1
        } catch {
            storageFailed(error, doing: "journal fsync")
        }
    }

    private func startFsyncTimer(every milliseconds: UInt64) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let period = DispatchTimeInterval.milliseconds(Int(milliseconds))
        timer.schedule(deadline: .now() + period, repeating: period, leeway: .milliseconds(Int(max(1, milliseconds / 10))))
        timer.setEventHandler { [unowned self] in syncJournal() }
        fsyncTimer = timer
        timer.resume()
    }
}

