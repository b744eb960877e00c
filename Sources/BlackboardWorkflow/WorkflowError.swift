/// The one error type of BlackboardWorkflow. Its messages are written in one place,
/// ``description``.
public enum WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with a line of the track file (`$BLACKBOARD_TRACK`).
    public enum TrackProblem: Error, Sendable, Equatable {
        /// The line is not one JSON object (`column` is 1-based, in bytes).
        case syntax(String, column: Int)
        /// The object is empty.
        case empty
        /// A key that is neither `resource` nor a declared user concept.
        case undeclaredConcept(String)
        /// A key given twice.
        case duplicateKey(String)
        /// `resource` is not a string or a list of strings.
        case badResourceList
        /// A resource name that is not `res.cpu`, `res.memory`, `res.io`, `res.disk` or `res.>`.
        case unknownResource(String)
    }

    /// A workflow file with problems, every one found, in line order.
    case invalidFile([WorkflowFileError])
    /// A track-file line that cannot be published (`line` is its text, shortened).
    case invalidTrackLine(line: String, TrackProblem)
    /// Instance state or a definition summary that does not decode.
    case invalidState(String)
    /// A parameter override for a name the file does not declare.
    case unknownParam(String, known: [String])

    /// The problems of an invalid file (empty for the other cases).
    public var fileErrors: [WorkflowFileError] {
        if case let .invalidFile(errors) = self { return errors }
        return []
    }

    /// Every problem on its own line; a file's problems as `LINE:COL: message`
    /// (use ``WorkflowFileError/rendered(file:)`` to put the file name in front).
    public var description: String {
        switch self {
        case let .invalidFile(errors): return errors.map(\.description).joined(separator: "\n")
        case let .invalidTrackLine(line, problem): return "track line \(line): \(Self.text(problem))"
        case let .invalidState(detail): return "invalid state: \(detail)"
        case let .unknownParam(name, known):
            let list = known.isEmpty ? "it declares none" : "it declares " + known.joined(separator: ", ")
            return "unknown parameter '\(name)': the workflow file does not declare it (\(list))"
        }
    }

    private static func text(_ problem: TrackProblem) -> String {
        switch problem {
        case let .syntax(detail, column): return "not a JSON object: \(detail) at column \(column)"
        case .empty: return "an empty object publishes nothing"
        case let .undeclaredConcept(key):
            return "'\(key)' is not a declared user concept (declare it in user_concepts) nor 'resource'"
        case let .duplicateKey(key): return "key '\(key)' appears twice"
        case .badResourceList: return "'resource' must be a string or a list of strings, such as [\"res.cpu\"] or \"res.>\""
        case let .unknownResource(name):
            return "unknown resource '\(name)' (use res.cpu, res.memory, res.io, res.disk or res.>)"
        }
    }
}
