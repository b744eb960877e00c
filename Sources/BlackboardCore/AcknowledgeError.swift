/// Why a publisher's acknowledgement of an aggregate-profile version was refused.
/// The server answers `not_publisher` and `bad_version` respectively (PROTOCOL.md).
public enum AcknowledgeError: Error, Equatable, Sendable {
    /// The URI is not a registered publisher.
    case notRegistered
    /// The version is newer than any the broker has produced (`current`).
    case unknownVersion(UInt64, current: UInt64)
}
