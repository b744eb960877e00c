// Rows of the admin listings (`/subscribers`, `/publishers`, `/concepts`,
// `/profile`), built on the broker's queue (Broker+AdminSource.swift) and
// rendered by AdminRendering+Listings.swift. Plain values: tests build them by hand.

/// Whether a registration has a live connection, with what that state knows.
public enum Presence: Equatable, Sendable {
    /// A client holds it on a connection accepted at `since` (epoch ms).
    case connected(since: UInt64)
    /// Its client is away and its lease keeps it: disconnected at
    /// `disconnectedAt`, removed at `expiresAt` (epoch ms) unless the client
    /// comes back. Either is nil only if the broker holds no lease record for
    /// it, which its invariants rule out; the listing says so rather than hide it.
    case away(disconnectedAt: UInt64?, expiresAt: UInt64?)
}

/// What subscriber and publisher rows share.
public struct Registration: Equatable, Sendable {
    /// The client URI (`HELLO`, or `urn:blackboard:conn:N` for a client without one).
    public var uri: String
    /// The name given in `HELLO`, if connected and given.
    public var name: String?
    /// The identity it authenticated as (auth on; docs/SECURITY.md); nil for a
    /// client without one (auth off, anonymous roles) and when away.
    public var identity: String?
    /// `host:port` of the connection, or of the last one when away; nil when
    /// unknown (a registration restored from disk).
    public var address: String?
    public var presence: Presence
    /// The lease granted at `HELLO`, in seconds (0: none).
    public var leaseSeconds: UInt32
    /// Bytes queued for the connection, not yet written (0 when away).
    public var pendingBytes: Int

    public init(uri: String, name: String? = nil, identity: String? = nil, address: String?, presence: Presence,
                leaseSeconds: UInt32, pendingBytes: Int = 0) {
        self.uri = uri
        self.name = name
        self.identity = identity
        self.address = address
        self.presence = presence
        self.leaseSeconds = leaseSeconds
        self.pendingBytes = pendingBytes
    }
}

/// One row of `/subscribers`.
public struct SubscriberRow: Equatable, Sendable {
    public var registration: Registration
    /// Entries in its profile.
    public var profileEntries: Int
    /// Messages delivered to it on its current connection (0 when away).
    public var deliveries: UInt64
    /// Deliveries it missed while away, since it left (0 when connected).
    public var missed: UInt64

    public init(_ registration: Registration, profileEntries: Int, deliveries: UInt64 = 0, missed: UInt64 = 0) {
        self.registration = registration
        self.profileEntries = profileEntries
        self.deliveries = deliveries
        self.missed = missed
    }
}

/// One row of `/publishers`.
public struct PublisherRow: Equatable, Sendable {
    public var registration: Registration
    /// Messages it published on its current connection (0 when away).
    public var messagesPublished: UInt64
    /// The aggregate profile version it acknowledged last; nil if it never did.
    public var acknowledgedVersion: UInt64?

    public init(_ registration: Registration, messagesPublished: UInt64 = 0, acknowledgedVersion: UInt64? = nil) {
        self.registration = registration
        self.messagesPublished = messagesPublished
        self.acknowledgedVersion = acknowledgedVersion
    }
}

/// One row of `/concepts`: an entry of the lookup index and how many profiles hold it.
public struct ConceptRow: Equatable, Sendable {
    /// The entry in wire form (`concept`, `prefix.>` or `>`).
    public var entry: String
    public var subscribers: Int

    public init(entry: String, subscribers: Int) {
        self.entry = entry
        self.subscribers = subscribers
    }
}

/// One page of `/profile`: the aggregate profile's entries and its version.
public struct ProfilePage: Equatable, Sendable {
    public var version: UInt64
    /// Entries in wire form.
    public var entries: Page<String>

    public init(version: UInt64, entries: Page<String>) {
        self.version = version
        self.entries = entries
    }
}
