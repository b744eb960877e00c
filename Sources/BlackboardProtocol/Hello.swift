/// The arguments of `HELLO uri [key=value …]` (PROTOCOL.md, "HELLO").
public struct Hello: Equatable, Sendable {
    /// The client's stable identity: 1–256 printable non-space ASCII bytes.
    public var uri: String
    /// The protocol version (`version=`); only 1 exists.
    public var version: Int = 1
    /// A human-readable client name (`name=`).
    public var name: String? = nil
    /// Whether every `PUB` is to be answered with `+OK PUB deliveries` (`ack=1`).
    public var acknowledgePublishes: Bool = false
    /// The requested lease in seconds (`lease=`); reserved, granted as 0.
    public var leaseSeconds: Int? = nil
    /// The identity to authenticate as (`user=`), with ``password``.
    public var user: String? = nil
    /// The password (`password=`, percent-decoded: any bytes).
    public var password: [UInt8]? = nil
    /// A token `NAME.SECRET` (`token=`), instead of user and password.
    public var token: String? = nil
    /// Options this version does not know, keyed by lower-cased key, kept for
    /// forward compatibility.
    public var otherOptions: [String: String] = [:]

    /// A `HELLO` with the given options.
    public init(
        uri: String, version: Int = 1, name: String? = nil,
        acknowledgePublishes: Bool = false, leaseSeconds: Int? = nil
    ) {
        self.uri = uri
        self.version = version
        self.name = name
        self.acknowledgePublishes = acknowledgePublishes
        self.leaseSeconds = leaseSeconds
    }
}
