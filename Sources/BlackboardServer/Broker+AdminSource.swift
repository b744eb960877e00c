import BlackboardCore
import BlackboardStorage

extension Broker {
    /// The broker's state as the admin port reads it. Made for one request on
    /// `queue` and dropped with it: it reads the broker's state in place, so
    /// every answer is consistent, and it must not be kept or used elsewhere.
    ///
    /// Cost of a listing page: the sorted keys of the whole list (the URIs or
    /// the index's entries, the one copy of the state it makes), a binary
    /// search for `after`, then one row per listed key.
    struct AdminView: AdminSource {
        unowned let broker: Broker

        var storageFailure: String? { broker.storageFailure }

        /// O(subscriber slots + away registrations): counts, no copies.
        func snapshot() -> AdminSnapshot {
            var snapshot = AdminSnapshot()
            snapshot.stats = broker.stats
            snapshot.uptimeSeconds = (Clock.monotonicNanoseconds() - broker.startedAt) / 1_000_000_000
            snapshot.connections = UInt64(broker.sessions.count)
            snapshot.subscribersConnected = UInt64(broker.subscriberSessions.lazy.filter { $0 != nil }.count)
            snapshot.publishersConnected = UInt64(broker.publisherSessions.count)
            for key in broker.absences.keys {
                switch key.role {
                case .subscriber: snapshot.subscribersDisconnected += 1
                case .publisher: snapshot.publishersDisconnected += 1
                }
            }
            snapshot.profileEntries = UInt64(broker.blackboard.aggregate.count)
            snapshot.profileVersion = broker.blackboard.aggregateVersion
            if let storage = broker.storage {
                snapshot.storage = AdminSnapshot.Storage(
                    directory: storage.path, fsync: storage.journal.policy.rawValue,
                    journalGeneration: storage.journal.generation, journalBytes: UInt64(storage.journal.size),
                    failure: broker.storageFailure)
            }
            return snapshot
        }

        func subscribers(_ request: PageRequest) -> Page<SubscriberRow> {
            request.page(of: broker.blackboard.subscriberURIs, key: { $0 }, row: subscriberRow)
        }

        func publishers(_ request: PageRequest) -> Page<PublisherRow> {
            request.page(of: broker.blackboard.publisherURIs, key: { $0 }, row: publisherRow)
        }

        func concepts(_ request: PageRequest) -> Page<ConceptRow> {
            request.page(of: broker.blackboard.index.entries, key: { $0.entry.text }) {
                ConceptRow(entry: $0.entry.text, subscribers: $0.subscribers)
            }
        }

        func profile(_ request: PageRequest) -> ProfilePage {
            ProfilePage(version: broker.blackboard.aggregateVersion,
                        entries: request.page(of: broker.blackboard.aggregate.entries, key: \.text, row: \.text))
        }

        /// The subscriber `uri`: its connection's session holds its slot, or it is away.
        private func subscriberRow(_ uri: String) -> SubscriberRow {
            let slot = broker.blackboard.subscriberID(of: uri)?.slot
            let entries = broker.blackboard.profileCount(of: uri) ?? 0
            if let slot, Int(slot) < broker.subscriberSessions.count,
               let session = broker.subscriberSessions[Int(slot)]?.takeUnretainedValue() {
                return SubscriberRow(connected(session), profileEntries: entries, deliveries: session.deliveries)
            }
            let missed = slot.flatMap { broker.missedBySlot[$0] } ?? 0
            return SubscriberRow(away(uri, .subscriber), profileEntries: entries, missed: missed)
        }

        /// The publisher `uri`: the open session with its URI registered it, or it is away.
        private func publisherRow(_ uri: String) -> PublisherRow {
            let acknowledged = broker.blackboard.acknowledgedVersion(of: uri)
            if let session = broker.sessionsByURI[uri], session.isPublisher {
                return PublisherRow(connected(session), messagesPublished: session.messagesPublished,
                                    acknowledgedVersion: acknowledged)
            }
            return PublisherRow(away(uri, .publisher), acknowledgedVersion: acknowledged)
        }

        private func connected(_ session: Session) -> Registration {
            Registration(uri: session.uri, name: session.name, identity: session.access.identity,
                         address: "\(session.peer)",
                         presence: .connected(since: session.connectedAt), leaseSeconds: session.leaseSeconds,
                         pendingBytes: session.pendingBytes)
        }

        private func away(_ uri: String, _ role: Role) -> Registration {
            let absence = broker.absences[RegistrationKey(uri, role)]
            return Registration(uri: uri, address: absence?.peer,
                                presence: .away(disconnectedAt: absence?.disconnectedAt, expiresAt: absence?.expiresAt),
                                leaseSeconds: absence?.leaseSeconds ?? 0)
        }
    }
}
