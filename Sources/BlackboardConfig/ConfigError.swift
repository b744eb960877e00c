/// One problem found in a configuration file or in a command-line override.
/// Parsing collects every problem of a file; none stops it early.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong. The messages are written in one place, ``description``.
    public enum Problem: Sendable, Equatable {
        /// The line is neither a comment, a `[section]` nor `key = value`.
        case syntax(String)
        /// A TOML value this subset does not accept (array, inline table, float, date...).
        case unsupported(String)
        /// A string without its closing quote.
        case unterminatedString
        /// A backslash escape other than `\"`, `\\`, `\n`, `\t`.
        case badEscape(String)
        /// Text after the value that is not a comment.
        case trailingText
        /// An integer too large for 64 bits.
        case integerOverflow
        /// A `[section]` the key table does not know.
        case unknownSection
        /// A key the key table does not know in its section.
        case unknownKey
        /// A key given twice; the line of the first one is kept.
        case duplicateKey(firstLine: Int)
        /// A `[section]` header given twice.
        case duplicateSection(firstLine: Int)
        /// A value of the wrong type.
        case wrongType(expected: String, found: String)
        /// An integer outside the key's range.
        case outOfRange(ClosedRange<Int>)
        /// A string that is not one of the key's allowed values.
        case notAllowed([String])
    }

    /// The 1-based line of the file, or nil for a command-line override.
    public let line: Int?
    /// The key concerned (`section.name`, or a section name), when there is one.
    public let key: String?
    /// What is wrong.
    public let problem: Problem

    /// An error at `line` (nil: the command line) about `key`.
    public init(line: Int?, key: String?, _ problem: Problem) {
        self.line = line
        self.key = key
        self.problem = problem
    }

    /// `line N: key: message`, the form the daemon prints after the file name.
    public var description: String {
        let place = line.map { "line \($0)" } ?? "command line"
        return key.map { "\(place): \($0): \(message)" } ?? "\(place): \(message)"
    }

    /// The message alone, without place or key.
    public var message: String {
        switch problem {
        case let .syntax(detail): return "syntax error: \(detail)"
        case let .unsupported(what): return "\(what) are not supported (use a string, an integer or a boolean)"
        case .unterminatedString: return "string has no closing quote"
        case let .badEscape(escape): return "unknown escape \\\(escape) (use \\\" \\\\ \\n \\t)"
        case .trailingText: return "unexpected text after the value (a comment starts with #)"
        case .integerOverflow: return "integer does not fit in 64 bits"
        case .unknownSection: return "unknown section"
        case .unknownKey: return "unknown key"
        case let .duplicateKey(firstLine): return "key already set on line \(firstLine)"
        case let .duplicateSection(firstLine): return "section already opened on line \(firstLine)"
        case let .wrongType(expected, found): return "expected \(expected), found \(found)"
        case let .outOfRange(range): return "must be in \(range.lowerBound)...\(range.upperBound)"
        case let .notAllowed(allowed): return "must be one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }
}

/// Every problem of one file or one set of overrides, in line order.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, at least one.
    public let errors: [ConfigError]

    /// `errors`, which must not be empty.
    public init(errors: [ConfigError]) {
        precondition(!errors.isEmpty, "ConfigErrors holds at least one error")
        self.errors = errors
    }

    /// One problem per line of text.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
