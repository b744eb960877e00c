// The state that survives a restart: the subscription store and the publisher
// store, keyed by URI, with their leases.
//
// Lease rule: a registration with lease 0 lasts only as long as its
// connection, so it is never persisted: `subscribe`/`register` with lease 0
// remove the URI here (a crash ends every connection, so after a restart such
// a registration would already be gone; keeping it would resurrect a
// subscriber nobody is connected as). A registration with a lease L > 0 is
// kept while connected and for L seconds after `disconnected(at:)`; the broker
// writes `unsubscribe`/`unregister` when a lease runs out, and on start drops
// what `expired(now:)` lists (registrations that were connected when the
// broker died count as disconnected at start-up: the broker writes that).

import BlackboardCore

/// The persisted stores. Replaying records with `apply` is deterministic and
/// idempotent per record kind, so snapshot + journal always rebuilds the same value.
public struct PersistedState: Equatable, Sendable {
    /// A persisted subscriber.
    public struct Subscriber: Equatable, Sendable {
        /// The profile, sorted in wire order, without duplicates.
        public var entries: [ProfileEntry]
        /// Seconds the registration outlives a disconnect (never 0 here).
        public var leaseSeconds: UInt32
        /// When the connection closed; nil while connected.
        public var disconnectedAt: UInt64?

        public init(entries: [ProfileEntry], leaseSeconds: UInt32, disconnectedAt: UInt64?) {
            self.entries = entries
            self.leaseSeconds = leaseSeconds
            self.disconnectedAt = disconnectedAt
        }
    }

    /// A persisted publisher.
    public struct Publisher: Equatable, Sendable {
        /// Seconds the registration outlives a disconnect (never 0 here).
        public var leaseSeconds: UInt32
        /// The highest aggregate version acknowledged; nil before the first ACK.
        public var acknowledged: UInt64?
        /// When the connection closed; nil while connected.
        public var disconnectedAt: UInt64?

        public init(leaseSeconds: UInt32, acknowledged: UInt64?, disconnectedAt: UInt64?) {
            self.leaseSeconds = leaseSeconds
            self.acknowledged = acknowledged
            self.disconnectedAt = disconnectedAt
        }
    }

    /// Subscribers by URI.
    public var subscribers: [String: Subscriber] = [:]
    /// Publishers by URI.
    public var publishers: [String: Publisher] = [:]

    /// The empty state.
    public init() {}

    /// Applies one record. Records about unknown URIs (an ack, a disconnect) are
    /// ignored: the registration they concern has already ended. O(profile log profile)
    /// for `subscribe`, `add` and `remove`, O(1) otherwise.
    public mutating func apply(_ record: StorageRecord) {
        switch record {
        case let .subscribe(uri, entries, lease):
            subscribers[uri] = lease == 0 ? nil
                : Subscriber(entries: Array(Set(entries)).sorted(), leaseSeconds: lease, disconnectedAt: nil)
        case let .unsubscribe(uri):
            subscribers[uri] = nil
        case let .add(uri, entries):
            guard let old = subscribers[uri]?.entries else { return }
            subscribers[uri]?.entries = Array(Set(old).union(entries)).sorted()
        case let .remove(uri, entries):
            guard let old = subscribers[uri]?.entries else { return }
            subscribers[uri]?.entries = Array(Set(old).subtracting(entries)).sorted()
        case let .register(uri, lease):
            if lease == 0 { publishers[uri] = nil; return }
            publishers[uri] = Publisher(leaseSeconds: lease, acknowledged: publishers[uri]?.acknowledged, disconnectedAt: nil)
        case let .unregister(uri):
            publishers[uri] = nil
        case let .acknowledge(uri, version):
            guard let old = publishers[uri]?.acknowledged else {
                publishers[uri]?.acknowledged = version
                return
            }
            publishers[uri]?.acknowledged = max(old, version)
        case let .disconnected(uri, role, at):
            switch role {
            case .subscriber: subscribers[uri]?.disconnectedAt = at
            case .publisher: publishers[uri]?.disconnectedAt = at
            }
        case let .reconnected(uri, role):
            switch role {
            case .subscriber: subscribers[uri]?.disconnectedAt = nil
            case .publisher: publishers[uri]?.disconnectedAt = nil
            }
        }
    }

    /// The state as records that rebuild it from empty (the snapshot body), in URI order. O(size).
    public var records: [StorageRecord] {
        var out: [StorageRecord] = []
        for (uri, subscriber) in subscribers.sorted(by: { $0.key < $1.key }) {
            out.append(.subscribe(uri: uri, entries: subscriber.entries, leaseSeconds: subscriber.leaseSeconds))
            if let at = subscriber.disconnectedAt { out.append(.disconnected(uri: uri, role: .subscriber, at: at)) }
        }
        for (uri, publisher) in publishers.sorted(by: { $0.key < $1.key }) {
            out.append(.register(uri: uri, leaseSeconds: publisher.leaseSeconds))
            if let version = publisher.acknowledged { out.append(.acknowledge(uri: uri, version: version)) }
            if let at = publisher.disconnectedAt { out.append(.disconnected(uri: uri, role: .publisher, at: at)) }
        }
        return out
    }

    /// Registrations whose lease ran out by `now`: disconnected at `d` with lease `L`, `d + L <= now`.
    public func expired(now: UInt64) -> [(uri: String, role: Role)] {
        func ran(_ at: UInt64?, _ lease: UInt32) -> Bool { at.map { $0 + UInt64(lease) <= now } ?? false }
        let subs = subscribers.filter { entry in ran(entry.value.disconnectedAt, entry.value.leaseSeconds) }
        let pubs = publishers.filter { entry in ran(entry.value.disconnectedAt, entry.value.leaseSeconds) }
        return subs.keys.sorted().map { ($0, Role.subscriber) } + pubs.keys.sorted().map { ($0, Role.publisher) }
    }
}
