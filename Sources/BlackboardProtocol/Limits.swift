/// The protocol limits a decoder enforces (PROTOCOL.md, "Limits"). The broker
/// configures them; a client uses the same defaults unless told otherwise.
public struct Limits: Sendable, Equatable {
    /// Bytes in a control line, entry line or record header, EOL included (`max_line`).
    public var maxLineBytes = 4096
    /// Bytes in a concept (`max_concept`), at most ``Concept/maxBytes``.
    public var maxConceptBytes = 256
    /// Pairs in one message (`max_pairs`).
    public var maxPairs = 100_000
    /// Bytes in one value (`max_value`).
    public var maxValueBytes = 8 << 20
    /// Bytes of concepts and values together in one message (`max_message`).
    public var maxMessageBytes = 16 << 20
    /// Entries in one `SUB`/`ADD`/`DEL` frame (`max_profile`). `PROFILE` and
    /// `DELTA` carry the aggregate profile and are not held to it.
    public var maxProfileEntries = 100_000

    /// The defaults of PROTOCOL.md.
    public init() {}
}
