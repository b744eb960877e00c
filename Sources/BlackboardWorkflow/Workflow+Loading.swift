import BlackboardCore
import Yams

// Loading a workflow file: YAML text -> Yams nodes (with their marks) -> a validated
// `Workflow`. The schema is in docs/WORKFLOWS.md, "The workflow file"; the keys of each
// level are the tables below, which drive the unknown-key check and its suggestions.

extension Workflow {
    /// The keys of the top level.
    static let topLevelKeys = ["workflow", "namespace", "params", "user_concepts", "max_parallel", "defaults", "activities"]
    /// The keys of an activity.
    static let activityKeys = [
        "run", "sleep", "emit", "needs", "if", "timeout", "retries", "env", "inputs", "outputs", "working_directory",
    ]
    /// The keys of `defaults:`.
    static let defaultsKeys = ["timeout", "retries"]
    /// The keys of a `retries:` mapping.
    static let retryKeys = ["limit", "backoff", "factor", "max_backoff"]

    /// Loads a workflow file from its bytes (which must be UTF-8).
    /// - Throws: `WorkflowError.invalidFile` with every problem found, in line order.
    public static func parse(bytes: some Collection<UInt8>) throws(WorkflowError) -> Workflow {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let valid = bytes.prefix { $0 < 0x80 }
            let line = valid.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw .invalidFile([WorkflowFileError(line: line, column: 1, .notUTF8)])
        }
        return try parse(text)
    }

    /// Loads a workflow file from its text.
    /// - Throws: `WorkflowError.invalidFile` with every problem found, in line order.
    public static func parse(_ text: String) throws(WorkflowError) -> Workflow {
        var loader = WorkflowLoader()
        let workflow = loader.load(text)
        let errors = loader.reader.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        guard errors.isEmpty, let workflow else { throw .invalidFile(errors) }
        return workflow
    }
}

/// One pass over a workflow document, collecting problems in a ``NodeReader``.
struct WorkflowLoader {
    var reader = NodeReader()
    /// The declared parameters, once read (activities check their templates against them).
    var params: [String: String] = [:]
    /// The declared user concepts, once read (`emit` checks its concepts against them).
    var userConcepts: [String] = []

    /// The workflow, or nil when a required part is missing; problems are in `reader`.
    mutating func load(_ text: String) -> Workflow? {
        guard let root = compose(text), let top = reader.mapping(root, "") else { return nil }
        var nodes: [String: (key: Node, value: Node)] = [:]
        for entry in reader.entries(top, "", allowed: Workflow.topLevelKeys) { nodes[entry.key] = (entry.keyNode, entry.value) }

        var name: String?
        if let node = nodes["workflow"]?.value {
            name = readName(node, "workflow", "workflow name", Names.workflowRule, Names.isWorkflowName)
        } else {
            reader.report(root, "", .missingKey("workflow"))
        }
        var namespace: String?
        if let node = nodes["namespace"]?.value {
            namespace = readName(node, "namespace", "namespace", Names.namespaceRule, Names.isNamespace)
        }
        if let node = nodes["params"]?.value { params = readParams(node) }
        if let node = nodes["user_concepts"]?.value { userConcepts = readUserConcepts(node) }
        var maxParallel = Workflow.defaultMaxParallel
        if let node = nodes["max_parallel"]?.value {
            maxParallel = reader.integer(node, "max_parallel", in: Workflow.maxParallelRange) ?? maxParallel
        }
        var defaults: (timeoutMs: Int64?, retry: RetryPolicy?) = (nil, nil)
        if let node = nodes["defaults"]?.value { defaults = readDefaults(node) }

        guard let activitiesNode = nodes["activities"]?.value else {
            reader.report(root, "", .missingKey("activities"))
            return nil
        }
        guard let mapping = reader.mapping(activitiesNode, "activities") else { return nil }
        let drafts = reader.entries(mapping, "activities").map { entry in
            readActivity(entry.key, entry.keyNode, entry.value, defaults: defaults)
        }
        if mapping.isEmpty { reader.report(activitiesNode, "activities", .noActivities) }
        let (activities, order) = link(drafts)
        guard let name else { return nil }
        return Workflow(
            name: name, namespace: namespace, params: params, userConcepts: userConcepts,
            maxParallel: maxParallel, activities: activities, order: order
        )
    }

    /// The document's root node, or nil after reporting a YAML error or an empty file.
    private mutating func compose(_ text: String) -> Node? {
        do {
            guard let root = try Parser(yaml: text).singleRoot(), !NodeReader.isNull(root) else {
                reader.report(nil, "", .empty)
                return nil
            }
            return root
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                let .composer(context, problem, mark, _):
                let detail = context.map { " (\($0.text), from line \($0.mark.line))" } ?? ""
                reader.report(mark, "", .syntax(problem + detail))
            case let .duplicatedKeysInMapping(duplicates, context):
                reader.report(context.mark, "", .duplicateKey(duplicates.sorted().first ?? ""))
            case let .reader(problem, offset, _, _):
                // libyaml's reader gives a byte offset, not a mark (e.g. for control characters).
                let before = text.utf8.prefix(offset ?? 0)
                let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                let column = before.reversed().prefix { $0 != UInt8(ascii: "\n") }.count + 1
                reader.report(line: line, column: column, "", .syntax(problem))
            default:
                reader.report(nil, "", .syntax(String(describing: error)))
            }
        } catch {
            reader.report(nil, "", .syntax(String(describing: error)))
        }
        return nil
    }

    /// A string that must follow a name grammar.
    private mutating func readName(
        _ node: Node, _ path: String, _ what: String, _ rule: String, _ isValid: (String) -> Bool
    ) -> String? {
        guard let text = reader.string(node, path) else { return nil }
        guard isValid(text) else {
            reader.report(node, path, .invalidName(what: what, name: text, rule: rule))
            return nil
        }
        return text
    }

    private mutating func readParams(_ node: Node) -> [String: String] {
        var params: [String: String] = [:]
        var variables: [String: String] = [:]
        for entry in reader.stringMap(node, "params") ?? [] {
            guard Names.isParamName(entry.key) else {
                reader.report(entry.keyNode, "params", .invalidName(what: "parameter name", name: entry.key, rule: Names.identifierRule))
                continue
            }
            if let other = variables.updateValue(entry.key, forKey: entry.key.uppercased()) {
                reader.report(entry.keyNode, "params", .paramCollision(other, entry.key))
            }
            params[entry.key] = entry.value
        }
        return params
    }

    private mutating func readUserConcepts(_ node: Node) -> [String] {
        var concepts: [String] = []
        for (concept, item) in reader.strings(node, "user_concepts", single: true) ?? [] {
            if let error = Concept.validate(Array(concept.utf8)) {
                reader.report(item, "user_concepts", .invalidConcept(concept, error))
            } else if !concept.hasPrefix("user.") || concept.utf8.count == 5 {
                reader.report(item, "user_concepts", .notUserConcept(concept))
            } else if !concepts.contains(concept) {
                concepts.append(concept)
            }
        }
        return concepts
    }

    private mutating func readDefaults(_ node: Node) -> (timeoutMs: Int64?, retry: RetryPolicy?) {
        guard let mapping = reader.mapping(node, "defaults") else { return (nil, nil) }
        var result: (timeoutMs: Int64?, retry: RetryPolicy?) = (nil, nil)
        for entry in reader.entries(mapping, "defaults", allowed: Workflow.defaultsKeys) {
            switch entry.key {
            case "timeout": result.timeoutMs = reader.duration(entry.value, "defaults.timeout", minimum: 1)
            default: result.retry = readRetries(entry.value, "defaults.retries")
            }
        }
        return result
    }

    /// `retries: N` (a bare limit) or `retries: {limit, backoff, factor, max_backoff}`.
    mutating func readRetries(_ node: Node, _ path: String) -> RetryPolicy? {
        let limits = 0...RetryPolicy.maxLimit
        guard case .mapping = node else { return reader.integer(node, path, in: limits).map { limitOnly($0) } }
        guard let mapping = reader.mapping(node, path) else { return nil }
        var nodes: [String: Node] = [:]
        for entry in reader.entries(mapping, path, allowed: Workflow.retryKeys) { nodes[entry.key] = entry.value }
        guard let limitNode = nodes["limit"] else {
            reader.report(node, path, .missingKey("limit"))
            return nil
        }
        var policy = limitOnly(reader.integer(limitNode, "\(path).limit", in: limits) ?? 0)
        if let value = nodes["backoff"] { policy.backoffMs = reader.duration(value, "\(path).backoff") ?? policy.backoffMs }
        if let value = nodes["factor"] {
            policy.factor = reader.number(value, "\(path).factor", in: 1.0...RetryPolicy.maxFactor) ?? policy.factor
        }
        policy.maxBackoffMs = max(policy.maxBackoffMs, policy.backoffMs)
        if let value = nodes["max_backoff"], let maxBackoff = reader.duration(value, "\(path).max_backoff") {
            if maxBackoff < policy.backoffMs {
                let range = "at least the backoff, \(DurationText.text(policy.backoffMs))"
                reader.report(value, "\(path).max_backoff", .outOfRange(DurationText.text(maxBackoff), range: range))
            }
            policy.maxBackoffMs = maxBackoff
        }
        return policy
    }

    private func limitOnly(_ limit: Int) -> RetryPolicy {
        var policy = RetryPolicy.none
        policy.limit = limit
        return policy
    }

    /// Checks the `${{ params.NAME }}` expressions of `text`.
    mutating func checkTemplate(_ text: String, _ node: Node, _ path: String) {
        switch ParamTemplate.references(text) {
        case let .failure(bad): reader.report(node, path, .badExpression(bad.text))
        case let .success(names):
            for name in names where params[name] == nil { reader.report(node, path, .unknownParam(name)) }
        }
    }
}
