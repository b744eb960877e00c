// What one journal record says. Replaying records in order over an empty
// PersistedState (the snapshot's records, then the journal's) yields exactly
// the persisted state; see PersistedState.apply for each record's effect.

import BlackboardCore

/// Which store a registration belongs to.
public enum Role: UInt8, Sendable, Hashable {
    /// A subscriber (the subscription store).
    case subscriber = 1
    /// A publisher (the publisher store).
    case publisher = 2
}

/// One change to the persisted stores. Times are whole seconds since the Unix epoch.
public enum StorageRecord: Equatable, Sendable {
    /// `uri` now has exactly `entries` as its profile (a full replacement, connected),
    /// held for `leaseSeconds` after a disconnect. A lease of 0 removes `uri`.
    case subscribe(uri: String, entries: [ProfileEntry], leaseSeconds: UInt32)
    /// `uri` left the subscription store (UNSUB, or its lease ran out).
    case unsubscribe(uri: String)
    /// The persisted subscriber `uri`'s profile gained `entries` (ADD); ignored for
    /// a URI not persisted (the broker writes `subscribe` for those).
    case add(uri: String, entries: [ProfileEntry])
    /// The persisted subscriber `uri`'s profile lost `entries` (DEL); ignored for a URI not persisted.
    case remove(uri: String, entries: [ProfileEntry])
    /// `uri` is a registered publisher (connected), held for `leaseSeconds` after a
    /// disconnect; a re-registration keeps its acknowledged version. A lease of 0 removes `uri`.
    case register(uri: String, leaseSeconds: UInt32)
    /// `uri` left the publisher store (UNREG, or its lease ran out).
    case unregister(uri: String)
    /// Publisher `uri` acknowledged aggregate-profile `version` (acks never move back).
    case acknowledge(uri: String, version: UInt64)
    /// `uri`'s connection closed at `at`; its lease runs from then.
    case disconnected(uri: String, role: Role, at: UInt64)
    /// `uri` reconnected; its lease no longer runs.
    case reconnected(uri: String, role: Role)

    /// The URI the record is about.
    public var uri: String {
        switch self {
        case let .subscribe(uri, _, _), let .unsubscribe(uri), let .add(uri, _), let .remove(uri, _),
             let .register(uri, _), let .unregister(uri),
             let .acknowledge(uri, _), let .disconnected(uri, _, _), let .reconnected(uri, _):
            return uri
        }
    }
}
