/// The machine-readable code of an `-ERR` reply. Raw values are the wire codes
/// of PROTOCOL.md, "Error codes".
public enum ErrorCode: String, CaseIterable, Sendable {
    /// The verb is not one of the commands.
    case unknownVerb = "unknown_verb"
    /// Wrong number of arguments, or an argument that is not a valid number.
    case badSyntax = "bad_syntax"
    /// The `HELLO` URI is not 1–256 printable non-space ASCII bytes.
    case badURI = "bad_uri"
    /// A published concept breaks the concept grammar.
    case badConcept = "bad_concept"
    /// A profile entry breaks the entry grammar.
    case badEntry = "bad_entry"
    /// `HELLO` after another command or a second time.
    case badState = "bad_state"
    /// `HELLO version=` other than 1, or `ACK` of a version the broker has not sent.
    case badVersion = "bad_version"
    /// `ACK` from a connection that is not a registered publisher.
    case notPublisher = "not_publisher"
    /// `SYNC` did not complete in time.
    case syncTimeout = "sync_timeout"
    /// A control line or entry line longer than `max_line`.
    case lineTooLong = "line_too_long"
    /// A pair record is malformed.
    case badFrame = "bad_frame"
    /// A message with more than `max_pairs` pairs.
    case tooManyPairs = "too_many_pairs"
    /// A value longer than `max_value`.
    case valueTooLarge = "value_too_large"
    /// A message whose concepts and values together exceed `max_message`.
    case messageTooLarge = "message_too_large"
    /// More than `max_profile` entries in a frame or a profile.
    case profileTooLarge = "profile_too_large"
    /// The broker is at `max_connections`.
    case tooManyConnections = "too_many_connections"
    /// The connection's output backed up past `max_pending` or `write_deadline`.
    case slowConsumer = "slow_consumer"
    /// The client did not answer the broker's pings.
    case staleConnection = "stale_connection"
    /// Another connection said `HELLO` with the same URI.
    case replaced = "replaced"
    /// The broker is stopping.
    case shuttingDown = "shutting_down"
    /// The data directory could not record a change of a leased registration;
    /// the command was not applied.
    case storageFailed = "storage_failed"
    /// Authentication is on and the client gave no credentials, and clients
    /// without credentials have no role: say `HELLO` with credentials.
    case authRequired = "auth_required"
    /// The credentials were wrong (answered after a delay that grows with each
    /// failure from the same address).
    case authFailed = "auth_failed"
    /// The client's identity may not subscribe to, or publish, what the command
    /// names; the message lists every forbidden entry or concept. Nothing changed.
    case forbidden = "forbidden"

    /// Whether PROTOCOL.md marks the code fatal: the connection is closed after
    /// the error line. A ``ProtocolError`` may override this for one occurrence.
    public var isFatal: Bool {
        switch self {
        case .unknownVerb, .badSyntax, .badURI, .badConcept, .badEntry, .badState,
             .badVersion, .notPublisher, .syncTimeout, .storageFailed, .authRequired, .forbidden:
            return false
        case .lineTooLong, .badFrame, .tooManyPairs, .valueTooLarge, .messageTooLarge,
             .profileTooLarge, .tooManyConnections, .slowConsumer, .staleConnection,
             .replaced, .shuttingDown, .authFailed:
            return true
        }
    }
}
