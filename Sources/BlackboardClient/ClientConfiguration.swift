import BlackboardCore

/// Where a client connects, who it says it is, and how it behaves when the
/// connection breaks. Shared by ``Publisher`` and ``Subscriber``.
///
/// ```swift
/// var configuration = ClientConfiguration(port: 7070, name: "tracker")
/// configuration.reconnectBackoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(10))
/// ```
public struct ClientConfiguration: Sendable, Equatable {
    /// The broker's host name or numeric address.
    public var host: String
    /// The broker's TCP port.
    public var port: UInt16
    /// The client's stable identity, sent in `HELLO`: 1–256 printable ASCII bytes
    /// without spaces. A second connection with the same URI replaces the first
    /// (PROTOCOL.md, "HELLO"), so two clients must not share one.
    public var uri: String
    /// A human-readable name shown in the broker's listings (`HELLO … name=`).
    /// Bytes that a HELLO argument cannot carry (spaces, controls, non-ASCII)
    /// are sent as `_`.
    public var name: String?
    /// Seconds the broker should keep this client's registrations (its profile,
    /// its publisher entry) after the connection drops (`HELLO … lease=`); the
    /// broker grants at most its `leases.max_lease_seconds`. While they are kept,
    /// publishers keep sending what the profile wants (deliveries are missed, not
    /// queued), and a reconnection with the same URI resumes them. nil or 0: they
    /// end with the connection. Leases are useful only with a stable ``uri``.
    public var leaseSeconds: Int?
    /// Whether the client reconnects after losing an established connection.
    /// When false, a lost connection closes the client and its streams end with
    /// ``ClientError/connectionLost(endpoint:reason:)``.
    public var reconnects: Bool
    /// The delays between reconnection attempts.
    public var reconnectBackoff: ReconnectBackoff
    /// How long one connection attempt may take.
    public var connectTimeout: Duration
    /// How long ``Publisher/close()`` and ``Subscriber/close()`` wait for the
    /// broker to answer `QUIT` before they drop the connection.
    public var closeTimeout: Duration
    /// Whether every publish is answered with `+OK PUB deliveries` (`HELLO … ack=1`);
    /// required by ``Publisher/publishConfirmed(_:)``.
    public var acknowledgePublishes: Bool
    /// Bytes of queued output above which ``Publisher/publish(_:)`` blocks the
    /// calling thread until the writer catches up (while connected), or discards
    /// the message (while reconnecting).
    public var maxPendingBytes: Int
    /// How long the broker may stay silent before the client sends a keepalive
    /// `PING`; `nil` or zero turns keepalive off. Anything the broker sends
    /// counts as a sign of life, so a busy connection is never pinged. This is
    /// how a client notices a broker host that died without closing the
    /// connection (power loss, partition): the broker's own pings only catch
    /// dead clients.
    public var pingInterval: Duration?
    /// Keepalive `PING`s that may be outstanding: when another ping interval
    /// passes in silence with this many unanswered, the connection counts as
    /// lost (after `(maxOutstandingPings + 1) × pingInterval` without a byte
    /// from the broker), and the client reconnects, or ends with
    /// ``ClientError/connectionLost(endpoint:reason:)``. At least 1.
    public var maxOutstandingPings: Int
    /// TLS to the broker's client listener (`tls.enabled` on the broker); nil
    /// (the default) connects over plain TCP. Every connection, reconnections
    /// included, runs its own handshake. See ``ClientTLS``.
    public var tls: ClientTLS? = nil
    /// Credentials sent in every `HELLO`, reconnects included (docs/SECURITY.md);
    /// nil sends none.
    public var credentials: ClientCredentials?

    /// A configuration with the defaults: `127.0.0.1:7070`, a generated URI,
    /// reconnection on, 50 ms → 5 s backoff, 5 s connect timeout, a keepalive
    /// `PING` after 30 s of silence and the connection given up after two
    /// unanswered ones.
    public init(
        host: String = "127.0.0.1",
        port: UInt16 = 7070,
        uri: String = ClientConfiguration.generatedURI(),
        name: String? = nil
    ) {
        self.host = host
        self.port = port
        self.uri = uri
        self.name = name
        self.leaseSeconds = nil
        self.reconnects = true
        self.reconnectBackoff = ReconnectBackoff()
        self.connectTimeout = .seconds(5)
        self.closeTimeout = .seconds(2)
        self.acknowledgePublishes = false
        self.maxPendingBytes = 16 << 20
        self.pingInterval = .seconds(30)
        self.maxOutstandingPings = 2
        self.credentials = nil
    }

    /// `host:port`, with an IPv6 host in brackets; used in error messages.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// A fresh URI of the form `urn:blackboard:client:<16 hex digits>`.
    public static func generatedURI() -> String {
        var generator = SystemRandom()
        let hex = String(generator.next(), radix: 16)
        return "urn:blackboard:client:" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Checks the URI against the HELLO grammar, and the keepalive settings.
    func validate() throws(ClientError) {
        let bytes = Array(uri.utf8)
        if bytes.isEmpty || bytes.count > Concept.maxBytes || bytes.contains(where: { $0 < 0x21 || $0 > 0x7E }) {
            throw .invalidArgument("the URI '\(uri)' is not 1–256 printable ASCII bytes without spaces")
        }
        if let pingInterval, pingInterval < .zero {
            throw .invalidArgument("pingInterval \(pingInterval) is negative")
        }
        if let leaseSeconds, leaseSeconds < 0 {
            throw .invalidArgument("leaseSeconds \(leaseSeconds) is negative")
        }
        if maxOutstandingPings < 1 {
            throw .invalidArgument("maxOutstandingPings \(maxOutstandingPings) is below 1")
        }
        try tls?.validate()
        let printable = { (text: String) in !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E } }
        switch credentials {
        case let .password(user, _) where !printable(user):
            throw .invalidArgument("the user '\(user)' is not printable ASCII without spaces")
        case let .token(token) where !printable(token):
            throw .invalidArgument("the token is not printable ASCII without spaces")
        default: break
        }
    }

    /// The keepalive interval in force: `nil` when keepalive is off.
    var keepaliveInterval: Duration? {
        guard let pingInterval, pingInterval > .zero else { return nil }
        return pingInterval
    }

    /// The name as a HELLO argument can carry it.
    var wireName: String? {
        guard let name, !name.isEmpty else { return nil }
        let bytes = name.utf8.prefix(256).map { $0 < 0x21 || $0 > 0x7E ? UInt8(ascii: "_") : $0 }
        return String(decoding: bytes, as: UTF8.self)
    }
}
