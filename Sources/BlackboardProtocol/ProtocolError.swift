/// A protocol error: what the broker answers as `-ERR code message`, and what the
/// decoders throw.
public struct ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The wire code.
    public var code: ErrorCode
    /// Text for people: one line; the encoder replaces control bytes with spaces.
    public var message: String
    /// Whether the stream cannot be resynchronised: send the error, then close.
    public var isFatal: Bool

    /// An error with `code`; `fatal` defaults to the code's fatality in PROTOCOL.md.
    public init(_ code: ErrorCode, _ message: String, fatal: Bool? = nil) {
        self.code = code
        self.message = message
        self.isFatal = fatal ?? code.isFatal
    }

    /// `code: message`, plus `(fatal)` when fatal.
    public var description: String {
        "\(code.rawValue): \(message)\(isFatal ? " (fatal)" : "")"
    }
}
