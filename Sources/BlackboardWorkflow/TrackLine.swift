// The track file (`$BLACKBOARD_TRACK`): an activity appends one JSON object per line.
//
//   {"user.rows_cleaned": 1234, "user.note": "ok"}     -> a user event of two pairs
//   {"resource": ["res.cpu", "res.memory"]}            -> a resource sample now (phase User)
//   {"resource": "res.>", "user.stage": "merge"}       -> both: the user event, then the sample
//
// - Every key is a user concept declared in the workflow's `user_concepts`, or `resource`.
// - A string value is published as its contents (UTF-8, unescaped); a number, `true`,
//   `false`, `null`, array or object as its JSON text exactly as written.
// - `resource` is one resource concept or a list of them: `res.cpu`, `res.memory`,
//   `res.io`, `res.disk`, or `res.>` for all four.
// - A blank line is ignored; anything else that breaks these rules is an error naming
//   the line and what is wrong, and publishes nothing.

/// One line of the track file, parsed.
public struct TrackLine: Sendable {
    /// The user pairs in the line's key order (empty when the line only asks for resources).
    public var user: [EventEncoding.ConceptValue]
    /// The resources asked for, in the order cpu, memory, io, disk (empty: none).
    public var resources: [ResourceKind]

    /// The longest piece of a bad line quoted in an error.
    static let quotedLength = 80

    /// Parses `line` (without its newline) against the `declared` user concepts; nil for a
    /// blank line.
    /// - Throws: `WorkflowError.invalidTrackLine`, quoting the line.
    public static func parse(_ line: some Collection<UInt8>, declared: Set<String>) throws(WorkflowError) -> TrackLine? {
        let bytes = Array(line)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        func invalid(_ problem: WorkflowError.TrackProblem) -> WorkflowError {
            var text = String(decoding: bytes.prefix(quotedLength), as: UTF8.self)
            if bytes.count > quotedLength { text += "…" }
            return .invalidTrackLine(line: text, problem)
        }

        let value: JSONReader.Value
        do {
            value = try JSONReader.parse(bytes)
        } catch {
            throw invalid(.syntax(error.message, column: error.offset + 1))
        }
        guard case let .object(fields, _) = value else { throw invalid(.syntax("expected an object", column: 1)) }
        guard !fields.isEmpty else { throw invalid(.empty) }

        var result = TrackLine(user: [], resources: [])
        var seen: Set<String> = []
        for (key, value) in fields {
            guard seen.insert(key).inserted else { throw invalid(.duplicateKey(key)) }
            if key == "resource" {
                result.resources = try resources(value).mapError(invalid).get()
            } else if declared.contains(key) {
                result.user.append((key, Array(value.publishedText.utf8)))
            } else {
                throw invalid(.undeclaredConcept(key))
            }
        }
        return result
    }

    /// Parses a line given as text (see the byte version).
    public static func parse(_ line: String, declared: Set<String>) throws(WorkflowError) -> TrackLine? {
        try parse(Array(line.utf8), declared: declared)
    }

    private static func resources(_ value: JSONReader.Value) -> Result<[ResourceKind], WorkflowError.TrackProblem> {
        let names: [JSONReader.Value]
        switch value {
        case .string: names = [value]
        case let .array(items, _) where !items.isEmpty: names = items
        default: return .failure(.badResourceList)
        }
        var kinds: Set<ResourceKind> = []
        for name in names {
            guard case let .string(text) = name else { return .failure(.badResourceList) }
            if text == "res.>" {
                kinds.formUnion(ResourceKind.allCases)
            } else if let kind = ResourceKind(rawValue: text) {
                kinds.insert(kind)
            } else {
                return .failure(.unknownResource(text))
            }
        }
        return .success(kinds.sorted())
    }
}
