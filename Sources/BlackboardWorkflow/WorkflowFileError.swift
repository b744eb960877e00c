import BlackboardCore

/// One problem found in a workflow file, at a line and column of it.
///
/// Loading collects every problem of a file; none stops it early, except a YAML syntax
/// error or a duplicate key, after which Yams gives back no document to check further.
/// The messages are written in one place, ``message``.
public struct WorkflowFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        /// The YAML itself does not parse (Yams' scanner, parser or composer message).
        case syntax(String)
        /// The bytes are not UTF-8.
        case notUTF8
        /// The file holds no document, or an empty one.
        case empty
        /// A key given twice in one mapping (Yams points at the first one).
        case duplicateKey(String)
        /// A key this level does not know, with the closest known key if one is near.
        case unknownKey(String, suggestion: String?)
        /// A required key is absent.
        case missingKey(String)
        /// A value of the wrong YAML type (`found` is `mapping`, `sequence`, `null` or the scalar).
        case wrongType(expected: String, found: String)
        /// A name that breaks its grammar (`what` says which kind of name).
        case invalidName(what: String, name: String, rule: String)
        /// An activity with none of `run`, `sleep`, `emit`.
        case noAction
        /// An activity with more than one of `run`, `sleep`, `emit`.
        case severalActions([String])
        /// `activities:` is empty.
        case noActivities
        /// `run:` is empty or blank.
        case emptyCommand
        /// A `needs` entry that names no activity.
        case unknownNeed(String, suggestion: String?)
        /// A `needs` entry listed twice.
        case duplicateNeed(String)
        /// A dependency cycle, as the names along it (the first repeated at the end).
        case cycle([String])
        /// A duration that does not follow the grammar (`250ms`, `10s`, `2m`, `1h`, `1m30s`).
        case badDuration(String)
        /// A number or duration outside its allowed range (`range` says it in words).
        case outOfRange(String, range: String)
        /// An `if:` that is not `success`, `failure` or `always`.
        case badCondition(String)
        /// A concept that breaks BlackboardCore's concept grammar.
        case invalidConcept(String, ConceptError)
        /// A user concept that is not below `user.`.
        case notUserConcept(String)
        /// An `emit` concept missing from `user_concepts`.
        case undeclaredConcept(String)
        /// A `${{ params.NAME }}` naming a parameter that `params:` does not declare.
        case unknownParam(String)
        /// A `${{ ... }}` that is not `${{ params.NAME }}`.
        case badExpression(String)
        /// Two parameters that give the same `BB_PARAM_` variable.
        case paramCollision(String, String)
    }

    /// The 1-based line of the file.
    public let line: Int
    /// The 1-based column (in Unicode scalars, as libyaml counts).
    public let column: Int
    /// Where in the document, as a dotted path (`activities.fetch.timeout`); empty at the top.
    public let path: String
    /// What is wrong.
    public let problem: Problem

    /// A problem at `line`:`column`, under `path`.
    public init(line: Int, column: Int, path: String = "", _ problem: Problem) {
        self.line = line
        self.column = column
        self.path = path
        self.problem = problem
    }

    /// The message, prefixed by the path when there is one: `activities.fetch.timeout: ...`.
    public var message: String {
        let text = problemText
        return path.isEmpty ? text : "\(path): \(text)"
    }

    /// `LINE:COL: message`.
    public var description: String { "\(line):\(column): \(message)" }

    /// `FILE:LINE:COL: message`, the form compilers print and editors jump to.
    public func rendered(file: String) -> String { "\(file):\(description)" }

    private var problemText: String {
        switch problem {
        case let .syntax(detail): return "YAML syntax error: \(detail)"
        case .notUTF8: return "the file is not valid UTF-8"
        case .empty: return "the file holds no workflow (expected a mapping with `workflow` and `activities`)"
        case let .duplicateKey(key): return "key '\(key)' appears more than once in the same mapping (first here)"
        case let .unknownKey(key, suggestion):
            return "unknown key '\(key)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .missingKey(key): return "missing required key '\(key)'"
        case let .wrongType(expected, found): return "expected \(expected), found \(found)"
        case let .invalidName(what, name, rule): return "invalid \(what) '\(name)': \(rule)"
        case .noAction: return "an activity needs exactly one of 'run', 'sleep', 'emit'; it has none"
        case let .severalActions(keys):
            return "an activity needs exactly one of 'run', 'sleep', 'emit'; it has " + keys.map { "'\($0)'" }.joined(separator: " and ")
        case .noActivities: return "a workflow needs at least one activity"
        case .emptyCommand: return "'run' is empty"
        case let .unknownNeed(name, suggestion):
            return "needs unknown activity '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .duplicateNeed(name): return "'\(name)' is listed twice in needs"
        case let .cycle(names): return "dependency cycle: " + names.joined(separator: " -> ")
        case let .badDuration(text):
            return "bad duration '\(text)' (use an integer with a unit, largest first: 250ms, 10s, 2m, 1h, 1m30s)"
        case let .outOfRange(value, range): return "\(value) is out of range (\(range))"
        case let .badCondition(text): return "bad condition '\(text)' (use success, failure or always)"
        case let .invalidConcept(concept, error): return "invalid concept '\(concept)': \(error)"
        case let .notUserConcept(concept): return "'\(concept)' is not a user concept (it must start with 'user.')"
        case let .undeclaredConcept(concept): return "'\(concept)' is not declared in user_concepts"
        case let .unknownParam(name): return "unknown parameter '\(name)' (declare it under params)"
        case let .badExpression(text): return "bad expression '\(text)' (the only form is ${{ params.NAME }})"
        case let .paramCollision(first, second):
            return "parameters '\(first)' and '\(second)' both map to BB_PARAM_\(first.uppercased())"
        }
    }
}
