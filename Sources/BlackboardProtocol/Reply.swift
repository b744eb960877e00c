import BlackboardCore

/// A broker-to-client frame (PROTOCOL.md, "Broker to client").
public enum Reply: Equatable, Sendable {
    /// `+OK verb [args]`: "+OK SUB 7" is `("SUB", ["7"])`; the verb is upper-cased.
    case ok(verb: String, arguments: [String])
    /// `-ERR code text`; the code stays a string because a newer broker may
    /// send codes this client does not know (see `ErrorCode(rawValue:)`).
    case error(code: String, message: String)
    /// `MSG seq n publisher ts` + pairs: a delivery.
    case message(Delivery)
    /// `PROFILE version n` + entries: the full aggregate profile.
    case profile(version: UInt64, entries: [ProfileEntry])
    /// `DELTA version n` + `+entry`/`-entry` lines: a change of the aggregate profile.
    case delta(ProfileDelta)
    /// `PING`: answer `PONG`.
    case ping
    /// `PONG`: answer to the client's `PING`.
    case pong
}
