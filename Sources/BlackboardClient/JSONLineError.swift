/// Why a line is not a JSON object of concept-value pairs.
public struct JSONLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The byte offset in the line where the problem was found.
    public var offset: Int
    /// What is wrong, for people.
    public var reason: String

    /// An error at `offset`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "at byte \(offset): \(reason)" }
}
