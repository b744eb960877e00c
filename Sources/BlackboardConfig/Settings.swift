/// Every configuration key's value, typed. Built from ``ConfigKey/all``:
/// ``defaults`` holds each key's default, ``parse(text:)`` reads a file over
/// them. Field names follow the keys (`limits.max_pairs` is ``maxPairs``).
/// Units are in the names: `…Bytes`, `…Milliseconds`, `…Seconds`.
public struct Settings: Sendable, Equatable {
    // [listen]
    /// `listen.host`: address of the client listener.
    public var listenHost = ""
    /// `listen.port`: port of the client listener; 0 picks a free one.
    public var listenPort = 0
    /// `listen.plain_loopback_only`: a plain (non-TLS) client listener must bind,
    /// and serve, loopback addresses only.
    public var plainLoopbackOnly = false
    // [admin]
    /// `admin.host`: address of the admin port.
    public var adminHost = ""
    /// `admin.port`: port of the admin port.
    public var adminPort = 0
    /// `admin.require_token`: admin requests need credentials of an identity with an admin role.
    public var adminRequireToken = false
    /// `admin.metrics_open_on_loopback`: `/metrics` needs no credentials from a loopback peer.
    public var adminMetricsOpenOnLoopback = false
    // [storage]
    /// `storage.data_dir`: directory of the journal and snapshots.
    public var dataDirectory = ""
    /// `storage.fsync`: when the journal is flushed to disk.
    public var fsync = FsyncPolicy.always
    /// `storage.fsync_interval_ms`: flush period under `fsync = "interval"`.
    public var fsyncIntervalMilliseconds = 0
    /// `storage.snapshot_threshold_bytes`: journal size that triggers a snapshot.
    public var snapshotThresholdBytes = 0
    // [limits]
    /// `limits.max_line`, in bytes.
    public var maxLine = 0
    /// `limits.max_concept`, in bytes.
    public var maxConcept = 0
    /// `limits.max_pairs`.
    public var maxPairs = 0
    /// `limits.max_value`, in bytes.
    public var maxValue = 0
    /// `limits.max_message`, in bytes.
    public var maxMessage = 0
    /// `limits.max_profile`, in entries.
    public var maxProfile = 0
    /// `limits.max_connections`.
    public var maxConnections = 0
    /// `limits.max_pending`, in bytes: the slow-consumer cap.
    public var maxPending = 0
    // [leases]
    /// `leases.max_lease_seconds`: longest lease granted.
    public var maxLeaseSeconds = 0
    // [liveness]
    /// `liveness.ping_interval_ms`.
    public var pingIntervalMilliseconds = 0
    /// `liveness.ping_max_outstanding`.
    public var pingMaxOutstanding = 0
    /// `liveness.write_deadline_ms`.
    public var writeDeadlineMilliseconds = 0
    /// `liveness.shutdown_grace_ms`.
    public var shutdownGraceMilliseconds = 0
    // [tls]
    /// `tls.enabled`: serve TLS on the client listener.
    public var tlsEnabled = false
    /// `tls.cert`: path of the PEM certificate chain.
    public var tlsCertificate = ""
    /// `tls.key`: path of the PEM private key.
    public var tlsKey = ""
    /// `tls.ca`: path of the PEM CA bundle for client certificates ("" for none).
    public var tlsCA = ""
    /// `tls.verify`: whether client certificates are asked for and required.
    public var tlsVerify = TLSVerify.none
    /// `tls.min_version`: oldest protocol version accepted.
    public var tlsMinVersion = TLSMinimumVersion.tls12
    /// `tls.ciphers`: OpenSSL cipher list for TLS 1.2 ("" for the default).
    public var tlsCiphers = ""
    /// `tls.handshake_timeout_ms`.
    public var tlsHandshakeTimeoutMilliseconds = 0
    /// `tls.admin`: serve TLS on the admin port too, with the same settings.
    public var tlsAdmin = false
    // [auth]
    /// `auth.enabled`: clients authenticate and are held to the access file.
    public var authEnabled = false
    /// `auth.credentials`: path of the credentials file.
    public var authCredentials = ""
    /// `auth.access`: path of the access file.
    public var authAccess = ""
    /// `auth.cert_identity`: which name of a verified client certificate is an identity.
    public var authCertIdentity = CertIdentity.none
    /// `auth.failure_delay_ms`: the delay of the first failed authentication from an address.
    public var authFailureDelayMilliseconds = 0
    /// `auth.failure_delay_max_ms`: the longest delay.
    public var authFailureDelayMaxMilliseconds = 0
    // [log]
    /// `log.level`.
    public var logLevel = LogLevel.info

    /// Placeholders only; ``defaults`` fills every field from the table.
    private init() {}

    /// Every key at its default.
    public static let defaults: Settings = ConfigKey.all.reduce(into: Settings()) { settings, key in
        key.write(key.defaultValue, into: &settings)
    }
}

/// `storage.fsync`: when journal appends are flushed to disk.
public enum FsyncPolicy: String, Sendable, CaseIterable {
    /// After every append, before the reply: nothing acknowledged is lost.
    case always
    /// Every `fsync_interval_ms`: a crash loses at most that much.
    case interval
    /// Left to the kernel.
    case never
}

/// `log.level`: the names of swift-log's levels.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// `tls.verify`: how client certificates are checked.
public enum TLSVerify: String, Sendable, CaseIterable {
    /// Not asked for.
    case none
    /// Asked for and checked if sent; clients without one are let in.
    case optional
    /// A certificate chaining to `tls.ca` is required.
    case required
}

/// `tls.min_version`: the oldest TLS version accepted.
public enum TLSMinimumVersion: String, Sendable, CaseIterable {
    case tls12 = "1.2"
    case tls13 = "1.3"
}

/// `auth.cert_identity`: which name of a verified client certificate serves as
/// the client's identity when its `HELLO` carries no credentials.
public enum CertIdentity: String, Sendable, CaseIterable {
    /// Certificates identify nobody.
    case none
    /// The subject's common name.
    case cn
    /// The first DNS, email or URI subject alternative name.
    case san
}
