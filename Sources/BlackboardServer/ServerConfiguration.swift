import BlackboardProtocol
import BlackboardStorage
import BlackboardTLS

/// Everything the broker needs to know at start. The daemon fills it from its
/// settings (config file and flags, docs/CONFIGURATION.md); defaults are the
/// ones documented in docs/PROTOCOL.md. ``Broker/reconfigure(_:)`` changes it live.
public struct ServerConfiguration: Sendable, Equatable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port to listen on; 0 picks a free one (the bound port is logged).
    public var port: UInt16 = 7070
    /// Address of the admin HTTP listener (docs/OPERATIONS.md).
    public var adminHost = "127.0.0.1"
    /// Port of the admin listener; 0 picks a free one (the bound port is
    /// logged); nil (the default here) runs no admin listener.
    public var adminPort: UInt16?
    /// Frame limits enforced by the decoder.
    public var limits = Limits()
    /// Open client connections allowed at once.
    public var maxConnections = 10_000
    /// Bytes queued for one connection before it is cut off as a slow consumer.
    public var maxPendingBytes = 64 << 20
    /// How long a connection with queued output may stay unwritable, in milliseconds.
    public var writeDeadlineMilliseconds: UInt64 = 10_000
    /// Idle time before the broker pings a client, in milliseconds.
    public var pingIntervalMilliseconds: UInt64 = 30_000
    /// Unanswered pings before the connection is closed as stale.
    public var pingMaxOutstanding = 2
    /// `SYNC` timeout when the client gives none, in milliseconds.
    public var syncDefaultTimeoutMilliseconds: UInt64 = 5_000
    /// Longest `SYNC` timeout a client may ask for, in milliseconds.
    public var syncMaxTimeoutMilliseconds: UInt64 = 600_000
    /// How long shutdown waits for pending output to drain, in milliseconds.
    public var shutdownGraceMilliseconds: UInt64 = 5_000
    /// Longest lease a `HELLO` is granted, in seconds (0: no leases).
    public var maxLeaseSeconds: UInt32 = 3_600
    /// TLS on the client listener; nil serves plain TCP. The certificate files
    /// are read at start and again by ``Broker/reloadCertificates()``.
    public var tls: TLSConfiguration?
    /// Serve the admin port over TLS too, with the context made from ``tls``
    /// (which it needs: ``Broker/start()`` refuses `adminTLS` without it).
    public var adminTLS = false
    /// How long a TLS handshake may take before the connection is dropped, in milliseconds.
    public var handshakeTimeoutMilliseconds: UInt64 = 10_000
    /// Where and how registrations are persisted; nil keeps them in memory only.
    public var storage: StorageConfiguration?
    /// A plain (non-TLS) client listener must bind a loopback address (``Broker/start()``
    /// refuses otherwise) and serves loopback peers only.
    public var plainLoopbackOnly = false
    /// Authentication and access control (docs/SECURITY.md); off by default.
    public var auth = AuthConfiguration()

    public init() {}
}

/// The data directory and its policies (docs/CONFIGURATION.md, `[storage]`).
public struct StorageConfiguration: Sendable, Equatable {
    /// The data directory; created if missing.
    public var directory: String
    /// When journal appends are forced to disk.
    public var fsync: FsyncPolicy = .always
    /// The fsync period under `.interval`, in milliseconds.
    public var fsyncIntervalMilliseconds: UInt64 = 1_000
    /// Journal size past which a snapshot replaces it, in bytes.
    public var snapshotThresholdBytes = 64 << 20

    public init(directory: String) {
        self.directory = directory
    }
}
