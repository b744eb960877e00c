/// Why an access file was refused: the first error, with its line.
public struct AccessFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line of the error.
    public var line: Int
    /// What is wrong there.
    public var message: String

    /// An error at `line`.
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
