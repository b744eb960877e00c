extension ConfigKey {
    /// Every key, in the order of the shipped file. Adding a key here is all it
    /// takes: parsing, validation, the change log, the generated
    /// config/blackboard.conf and docs/CONFIGURATION.md follow, and the
    /// table-driven tests cover it.
    public static let all: [ConfigKey] = [
        // [listen]
        ConfigKey("listen", "host", .string, "127.0.0.1", .string(\.listenHost),
                  "Address the client listener binds (0.0.0.0 for every interface)."),
        ConfigKey("listen", "port", .integer(0...65535, .port), 7070, .integer(\.listenPort),
                  "Port of the client listener; 0 picks a free one (the bound address is logged)."),
        ConfigKey("listen", "plain_loopback_only", .boolean, .boolean(false), .boolean(\.plainLoopbackOnly),
                  "Listeners without TLS (the client listener, and the admin port unless tls.admin) must bind a loopback address (the daemon refuses to start otherwise), and connections from other addresses are refused."),
        // [admin]
        ConfigKey("admin", "host", .string, "127.0.0.1", .string(\.adminHost),
                  "Address of the admin port (stats, config dump); keep it local."),
        ConfigKey("admin", "port", .integer(0...65535, .port), 7071, .integer(\.adminPort),
                  "Port of the admin HTTP listener (/healthz, /stats, /metrics, /subscribers, /publishers, /concepts, /profile; docs/OPERATIONS.md); 0 picks a free one."),
        ConfigKey("admin", "require_token", .boolean, .boolean(false), .boolean(\.adminRequireToken),
                  "Admin requests need Authorization: Bearer TOKEN (or Basic user:password) of an identity whose role has admin (credentials and access files of [auth]); 401 without, 403 without the role.",
                  reloadable: true),
        ConfigKey("admin", "metrics_open_on_loopback", .boolean, .boolean(false), .boolean(\.adminMetricsOpenOnLoopback),
                  "With require_token, /metrics still answers loopback peers without credentials (a local Prometheus).",
                  reloadable: true),
        // [storage]
        ConfigKey("storage", "data_dir", .string, "var/blackboard", .string(\.dataDirectory),
                  "Directory of the journal and snapshots, relative to the working directory (systemd: /var/lib/blackboard); \"\" persists nothing."),
        ConfigKey("storage", "fsync", .choice(FsyncPolicy.allCases.map(\.rawValue)), "always", .choice(\.fsync),
                  "When journal appends reach the disk: always (before the reply), interval, or never (the kernel decides)."),
        ConfigKey("storage", "fsync_interval_ms", .integer(1...60_000, .milliseconds), 1_000,
                  .integer(\.fsyncIntervalMilliseconds), "Flush period when fsync = \"interval\"."),
        ConfigKey("storage", "snapshot_threshold_bytes", .integer(4_096...(1 << 40), .bytes), 67_108_864,
                  .integer(\.snapshotThresholdBytes), "Journal size that triggers a snapshot and a fresh journal."),
        // [limits]
        ConfigKey("limits", "max_line", .integer(64...(16 << 20), .bytes), 4_096, .integer(\.maxLine),
                  "Longest control or entry line, EOL included.", reloadable: true),
        ConfigKey("limits", "max_concept", .integer(1...256, .bytes), 256, .integer(\.maxConcept),
                  "Longest concept (at most 256).", reloadable: true),
        ConfigKey("limits", "max_pairs", .integer(1...(1 << 30), .count), 100_000, .integer(\.maxPairs),
                  "Most pairs in one message.", reloadable: true),
        ConfigKey("limits", "max_value", .integer(1...(1 << 40), .bytes), 8_388_608, .integer(\.maxValue),
                  "Largest value.", reloadable: true),
        ConfigKey("limits", "max_message", .integer(1...(1 << 40), .bytes), 16_777_216, .integer(\.maxMessage),
                  "Largest message, concepts and values together.", reloadable: true),
        ConfigKey("limits", "max_profile", .integer(1...(1 << 30), .count), 100_000, .integer(\.maxProfile),
                  "Most entries in one SUB, ADD or DEL frame.", reloadable: true),
        ConfigKey("limits", "max_connections", .integer(1...1_000_000, .count), 10_000, .integer(\.maxConnections),
                  "Most open client connections; more are refused with -ERR too_many_connections.",
                  reloadable: true),
        ConfigKey("limits", "max_pending", .integer(1...(1 << 40), .bytes), 67_108_864, .integer(\.maxPending),
                  "Output queued for one connection before it is cut off as a slow consumer.", reloadable: true),
        // [leases]
        ConfigKey("leases", "max_lease_seconds", .integer(0...31_536_000, .seconds), 3_600,
                  .integer(\.maxLeaseSeconds),
                  "Longest lease a HELLO is granted: how long a client's registrations outlive its connection; 0 turns leases off.",
                  reloadable: true),
        // [liveness]
        ConfigKey("liveness", "ping_interval_ms", .integer(10...86_400_000, .milliseconds), 30_000,
                  .integer(\.pingIntervalMilliseconds), "Client silence before the broker sends PING.",
                  reloadable: true),
        ConfigKey("liveness", "ping_max_outstanding", .integer(1...1_000, .count), 2,
                  .integer(\.pingMaxOutstanding), "Unanswered pings before a connection is closed as stale.",
                  reloadable: true),
        ConfigKey("liveness", "write_deadline_ms", .integer(10...86_400_000, .milliseconds), 10_000,
                  .integer(\.writeDeadlineMilliseconds),
                  "How long a connection with queued output may stay unwritable before it is cut off.",
                  reloadable: true),
        ConfigKey("liveness", "shutdown_grace_ms", .integer(0...600_000, .milliseconds), 5_000,
                  .integer(\.shutdownGraceMilliseconds), "How long shutdown waits for pending output to drain.",
                  reloadable: true),
        // [tls]
        ConfigKey("tls", "enabled", .boolean, .boolean(false), .boolean(\.tlsEnabled),
                  "Serve TLS on the client listener (cert and key required); clients must then speak TLS (docs/SECURITY.md)."),
        ConfigKey("tls", "cert", .string, "", .string(\.tlsCertificate),
                  "PEM certificate chain the broker presents, leaf first. Re-read on SIGHUP: new connections get the new one, open ones keep theirs.",
                  reloadable: true),
        ConfigKey("tls", "key", .string, "", .string(\.tlsKey),
                  "PEM private key of the certificate (keep it readable by the daemon only). Re-read on SIGHUP.",
                  reloadable: true),
        ConfigKey("tls", "ca", .string, "", .string(\.tlsCA),
                  "PEM CA bundle that client certificates must chain to; needed for verify = optional or required. Re-read on SIGHUP.",
                  reloadable: true),
        ConfigKey("tls", "verify", .choice(TLSVerify.allCases.map(\.rawValue)), "none", .choice(\.tlsVerify),
                  "Client certificates: none (not asked for), optional (checked if sent) or required (no certificate, no connection)."),
        ConfigKey("tls", "min_version", .choice(TLSMinimumVersion.allCases.map(\.rawValue)), "1.2",
                  .choice(\.tlsMinVersion), "Oldest TLS version accepted: 1.2 or 1.3."),
        ConfigKey("tls", "ciphers", .string, "", .string(\.tlsCiphers),
                  "OpenSSL cipher list for TLS 1.2 (e.g. ECDHE+AESGCM); \"\" keeps OpenSSL's default. TLS 1.3 suites are OpenSSL's defaults."),
        ConfigKey("tls", "handshake_timeout_ms", .integer(10...600_000, .milliseconds), 10_000,
                  .integer(\.tlsHandshakeTimeoutMilliseconds),
                  "How long a connection may take to finish its TLS handshake before it is dropped (counted in handshake_timeouts)."),
        ConfigKey("tls", "admin", .boolean, .boolean(false), .boolean(\.tlsAdmin),
                  "Serve TLS on the admin port too, with the same cert, key, ca and verify (needs enabled = true); plain HTTP to it is dropped. blackboard stats --tls --ca … reaches it."),
        // [auth]
        ConfigKey("auth", "enabled", .boolean, .boolean(false), .boolean(\.authEnabled),
                  "Clients authenticate in HELLO (user and password, or token) and are held to the access file's permissions (docs/SECURITY.md)."),
        ConfigKey("auth", "credentials", .string, "", .string(\.authCredentials),
                  "Credentials file (name:$pbkdf2-sha256$...; written by `blackboard passwd`). Re-read on SIGHUP.",
                  reloadable: true),
        ConfigKey("auth", "access", .string, "", .string(\.authAccess),
                  "Access file: roles, their subscribe/publish allow and deny lists, identities and the anonymous roles. Required when auth is enabled; re-read on SIGHUP.",
                  reloadable: true),
        ConfigKey("auth", "cert_identity", .choice(CertIdentity.allCases.map(\.rawValue)), "none", .choice(\.authCertIdentity),
                  "Which name of a verified client certificate is the identity of a HELLO without credentials: none, cn or san (the first DNS, email or URI name).",
                  reloadable: true),
        ConfigKey("auth", "failure_delay_ms", .integer(0...60_000, .milliseconds), 100,
                  .integer(\.authFailureDelayMilliseconds),
                  "Delay of the auth_failed reply after a first failure from an address; it doubles with each further failure.",
                  reloadable: true),
        ConfigKey("auth", "failure_delay_max_ms", .integer(0...600_000, .milliseconds), 5_000,
                  .integer(\.authFailureDelayMaxMilliseconds),
                  "Cap of that delay. An address's count is forgotten after a success or after twice the cap without failures.",
                  reloadable: true),
        // [log]
        ConfigKey("log", "level", .choice(LogLevel.allCases.map(\.rawValue)), "info", .choice(\.logLevel),
                  "Least severe level logged: trace, debug, info, notice, warning, error or critical."),
    ]

    /// The key at `path` (`section.name`), if there is one.
    public static func named(_ path: String) -> ConfigKey? {
        all.first { $0.path == path }
    }

    /// The sections, in table order.
    public static var sections: [String] {
        all.reduce(into: []) { if $0.last != $1.section { $0.append($1.section) } }
    }

    private init(_ section: String, _ name: String, _ kind: Kind, _ defaultValue: ConfigValue,
                 _ binding: Binding, _ doc: String, reloadable: Bool = false) {
        self.section = section
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
        self.reloadable = reloadable
        self.binding = binding
    }
}

extension ConfigValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
}
