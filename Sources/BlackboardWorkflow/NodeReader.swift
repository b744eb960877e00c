import Yams

/// Reads Yams nodes as the workflow schema's types, collecting a ``WorkflowFileError``
/// (at the node's mark) for every value of the wrong shape instead of stopping.
///
/// Every reading method returns nil after reporting, so the loader can go on and find
/// the next problem.
struct NodeReader {
    /// The problems found so far, in the order found.
    private(set) var errors: [WorkflowFileError] = []

    /// Records `problem` at `node`'s mark (line 1, column 1 for a node without one).
    mutating func report(_ node: Node, _ path: String, _ problem: WorkflowFileError.Problem) {
        report(node.mark, path, problem)
    }

    /// Records `problem` at `mark`.
    mutating func report(_ mark: Mark?, _ path: String, _ problem: WorkflowFileError.Problem) {
        report(line: mark?.line ?? 1, column: mark?.column ?? 1, path, problem)
    }

    /// Records `problem` at `line`:`column`.
    mutating func report(line: Int, column: Int, _ path: String, _ problem: WorkflowFileError.Problem) {
        errors.append(WorkflowFileError(line: line, column: column, path: path, problem))
    }

    /// True for YAML's null: an empty plain scalar, `~`, or `null` in one of its spellings.
    static func isNull(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a node is named in a wrong-type message.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(scalar): return isNull(node) ? "nothing (null)" : "'\(scalar.string)'"
        }
    }

    /// `node` as a mapping, or nil after reporting.
    mutating func mapping(_ node: Node, _ path: String) -> Node.Mapping? {
        if case let .mapping(mapping) = node { return mapping }
        report(node, path, .wrongType(expected: "a mapping", found: Self.describe(node)))
        return nil
    }

    /// The entries of `mapping` with their keys as text, in file order. Keys that are not
    /// scalars, and keys missing from `allowed` (when given), are reported and left out.
    mutating func entries(
        _ mapping: Node.Mapping, _ path: String, allowed: [String]? = nil
    ) -> [(key: String, keyNode: Node, value: Node)] {
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case let .scalar(scalar) = keyNode, !Self.isNull(keyNode) else {
                report(keyNode, path, .wrongType(expected: "a key name", found: Self.describe(keyNode)))
                continue
            }
            if let allowed, !allowed.contains(scalar.string) {
                let suggestion = Spelling.suggestion(for: scalar.string, among: allowed)
                report(keyNode, path, .unknownKey(scalar.string, suggestion: suggestion))
                continue
            }
            entries.append((scalar.string, keyNode, value))
        }
        return entries
    }

    /// `node` as text: any scalar but null (so `rows: 1000` reads as "1000").
    mutating func string(_ node: Node, _ path: String) -> String? {
        if case let .scalar(scalar) = node, !Self.isNull(node) { return scalar.string }
        report(node, path, .wrongType(expected: "a string", found: Self.describe(node)))
        return nil
    }

    /// `node` as a list of strings, each with its node; with `single`, a lone string is a
    /// list of one. Bad entries are reported and left out.
    mutating func strings(_ node: Node, _ path: String, single: Bool = false) -> [(text: String, node: Node)]? {
        if single, case .scalar = node, !Self.isNull(node) { return string(node, path).map { [($0, node)] } }
        guard case let .sequence(sequence) = node else {
            let expected = single ? "a string or a list of strings" : "a list of strings"
            report(node, path, .wrongType(expected: expected, found: Self.describe(node)))
            return nil
        }
        return sequence.compactMap { item in string(item, path).map { ($0, item) } }
    }

    /// `node` as a mapping of strings to strings, in file order, with the key and value nodes.
    mutating func stringMap(_ node: Node, _ path: String) -> [(key: String, keyNode: Node, value: String, node: Node)]? {
        guard let mapping = mapping(node, path) else { return nil }
        return entries(mapping, path).compactMap { entry in
            string(entry.value, "\(path).\(entry.key)").map { (entry.key, entry.keyNode, $0, entry.value) }
        }
    }

    /// `node` as an integer within `range`.
    mutating func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard case let .scalar(scalar) = node, let value = Int(scalar.string) else {
            report(node, path, .wrongType(expected: "an integer", found: Self.describe(node)))
            return nil
        }
        guard range.contains(value) else {
            report(node, path, .outOfRange(scalar.string, range: "\(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return value
    }

    /// `node` as a finite number within `range`.
    mutating func number(_ node: Node, _ path: String, in range: ClosedRange<Double>) -> Double? {
        guard case let .scalar(scalar) = node, let value = Double(scalar.string), value.isFinite else {
            report(node, path, .wrongType(expected: "a number", found: Self.describe(node)))
            return nil
        }
        guard range.contains(value) else {
            report(node, path, .outOfRange(scalar.string, range: "\(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return value
    }

    /// `node` as a duration (``DurationText``) in milliseconds, at least `minimum`.
    mutating func duration(_ node: Node, _ path: String, minimum: Int64 = 0) -> Int64? {
        guard let text = string(node, path) else { return nil }
        guard let milliseconds = DurationText.milliseconds(text) else {
            report(node, path, .badDuration(text))
            return nil
        }
        guard milliseconds >= minimum, milliseconds <= DurationText.maxMilliseconds else {
            let range = "\(DurationText.text(minimum)) to \(DurationText.text(DurationText.maxMilliseconds))"
            report(node, path, .outOfRange(text, range: range))
            return nil
        }
        return milliseconds
    }
}
