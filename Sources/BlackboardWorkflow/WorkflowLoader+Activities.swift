import BlackboardCore
import Yams

// Loading the `activities:` mapping: each activity on its own, then the `needs` links
// between them (unknown names, duplicates, cycles) and the dependency order.

extension WorkflowLoader {
    /// One activity with the nodes of its `needs` entries (for the lines of link errors).
    /// Problems are reported; a broken activity still comes back, with what could be read,
    /// so that the needs naming it resolve and their own problems are found.
    mutating func readActivity(
        _ name: String, _ keyNode: Node, _ node: Node, defaults: (timeoutMs: Int64?, retry: RetryPolicy?)
    ) -> (activity: Activity, needNodes: [Node]) {
        let path = "activities.\(name)"
        if !Names.isActivityName(name) {
            reader.report(keyNode, "activities", .invalidName(what: "activity name", name: name, rule: Names.activityRule))
        }
        var nodes: [String: (key: Node, value: Node)] = [:]
        if let mapping = reader.mapping(node, path) {
            for entry in reader.entries(mapping, path, allowed: Workflow.activityKeys) { nodes[entry.key] = (entry.keyNode, entry.value) }
        }

        var activity = Activity(
            name: name, action: .run(command: ""), needs: [], needIndices: [], condition: .success,
            timeoutMs: defaults.timeoutMs, retry: defaults.retry ?? .none, env: [:], inputs: [], outputs: [],
            workingDirectory: nil, line: keyNode.mark?.line ?? 1
        )
        let actionKeys = Activity.ActionType.allCases.map(\.rawValue).filter { nodes[$0] != nil }
        if actionKeys.isEmpty, case .mapping = node { reader.report(keyNode, path, .noAction) }
        if actionKeys.count > 1, let second = nodes[actionKeys[1]] { reader.report(second.key, path, .severalActions(actionKeys)) }
        if let action = actionKeys.first.flatMap({ readAction($0, nodes[$0]!.value, path) }) { activity.action = action }

        var needNodes: [Node] = []
        if let value = nodes["needs"]?.value, let needs = reader.strings(value, "\(path).needs", single: true) {
            activity.needs = needs.map(\.text)
            needNodes = needs.map(\.node)
        }
        if let value = nodes["if"]?.value, let text = reader.string(value, "\(path).if") {
            if let condition = Activity.Condition(rawValue: text) {
                activity.condition = condition
            } else {
                reader.report(value, "\(path).if", .badCondition(text))
            }
        }
        if let value = nodes["timeout"]?.value { activity.timeoutMs = reader.duration(value, "\(path).timeout", minimum: 1) }
        if let value = nodes["retries"]?.value { activity.retry = readRetries(value, "\(path).retries") ?? activity.retry }
        if let value = nodes["env"]?.value { activity.env = readEnv(value, "\(path).env") }
        if let value = nodes["inputs"]?.value { activity.inputs = reader.strings(value, "\(path).inputs", single: true)?.map(\.text) ?? [] }
        if let value = nodes["outputs"]?.value { activity.outputs = reader.strings(value, "\(path).outputs", single: true)?.map(\.text) ?? [] }
        if let value = nodes["working_directory"]?.value, let directory = reader.string(value, "\(path).working_directory") {
            if directory.hasPrefix("/") {
                reader.report(value, "\(path).working_directory", .wrongType(expected: "a relative path", found: "'\(directory)'"))
            }
            activity.workingDirectory = directory
        }
        return (activity, needNodes)
    }

    private mutating func readAction(_ key: String, _ node: Node, _ path: String) -> Activity.Action? {
        switch key {
        case "run":
            guard let command = reader.string(node, "\(path).run") else { return nil }
            if command.allSatisfy(\.isWhitespace) { reader.report(node, "\(path).run", .emptyCommand) }
            checkTemplate(command, node, "\(path).run")
            return .run(command: command)
        case "sleep":
            return reader.duration(node, "\(path).sleep").map { .sleep(milliseconds: $0) }
        default:
            guard let entries = reader.stringMap(node, "\(path).emit") else { return nil }
            if entries.isEmpty {
                let expected = "a mapping of declared user concepts to values"
                reader.report(node, "\(path).emit", .wrongType(expected: expected, found: "an empty mapping"))
            }
            var values: [Activity.EmitValue] = []
            for entry in entries {
                if let error = Concept.validate(Array(entry.key.utf8)) {
                    reader.report(entry.keyNode, "\(path).emit", .invalidConcept(entry.key, error))
                } else if !entry.key.hasPrefix("user.") {
                    reader.report(entry.keyNode, "\(path).emit", .notUserConcept(entry.key))
                } else if !userConcepts.contains(entry.key) {
                    reader.report(entry.keyNode, "\(path).emit", .undeclaredConcept(entry.key))
                }
                checkTemplate(entry.value, entry.node, "\(path).emit.\(entry.key)")
                values.append(Activity.EmitValue(concept: entry.key, value: entry.value))
            }
            return .emit(values)
        }
    }

    private mutating func readEnv(_ node: Node, _ path: String) -> [String: String] {
        var env: [String: String] = [:]
        for entry in reader.stringMap(node, path) ?? [] {
            if !Names.isParamName(entry.key) {
                reader.report(entry.keyNode, path, .invalidName(what: "variable name", name: entry.key, rule: Names.identifierRule))
            }
            checkTemplate(entry.value, entry.node, "\(path).\(entry.key)")
            env[entry.key] = entry.value
        }
        return env
    }

    /// The activities with their `needIndices` resolved, and the dependency order; unknown
    /// or repeated needs and cycles are reported.
    mutating func link(_ drafts: [(activity: Activity, needNodes: [Node])]) -> (activities: [Activity], order: [Int]) {
        let names = drafts.map(\.activity.name)
        var activities = drafts.map(\.activity)
        // The node of each resolved edge, to point at when the edge closes a cycle.
        var edgeNodes: [[Int: Node]] = Array(repeating: [:], count: drafts.count)
        for (index, draft) in drafts.enumerated() {
            let path = "activities.\(draft.activity.name).needs"
            for (need, node) in zip(draft.activity.needs, draft.needNodes) {
                guard let target = names.firstIndex(of: need) else {
                    reader.report(node, path, .unknownNeed(need, suggestion: Spelling.suggestion(for: need, among: names)))
                    continue
                }
                guard !activities[index].needIndices.contains(target) else {
                    reader.report(node, path, .duplicateNeed(need))
                    continue
                }
                activities[index].needIndices.append(target)
                edgeNodes[index][target] = node
            }
        }
        let cycles = DependencyGraph.cycles(needs: activities.map(\.needIndices))
        for cycle in cycles {
            let node = edgeNodes[cycle[0]][cycle[1]]!
            reader.report(node, "activities.\(names[cycle[0]]).needs", .cycle(cycle.map { names[$0] }))
        }
        let order = cycles.isEmpty ? DependencyGraph.order(needs: activities.map(\.needIndices)) : []
        return (activities, order)
    }
}
