import Foundation

/// What the engine keeps of the last definition run under a workflow name, to tell what
/// changed (`wf.workflow.Changed`): the version and one fingerprint per activity.
///
/// An activity's fingerprint is the ``DefinitionVersion`` hash of a canonical JSON text of
/// what it does once loaded: its type and action, needs (sorted), condition, timeout,
/// retry policy, env (sorted), inputs, outputs and working directory, with the file's
/// `defaults:` applied. Comments, spacing, key order, the activity's position in the file
/// and a `needs` list's order do not change it; any change to what runs does.
public struct DefinitionSummary: Sendable, Equatable, Codable {
    /// The `workflow:` name.
    public var workflow: String
    /// The definition version.
    public var version: String
    /// Activity name -> fingerprint (16 hex digits).
    public var activities: [String: String]

    /// The summary of `workflow`, whose file has version `version`.
    public init(workflow: Workflow, version: String) {
        self.workflow = workflow.name
        self.version = version
        self.activities = Dictionary(uniqueKeysWithValues: workflow.activities.map { ($0.name, Self.fingerprint($0)) })
    }

    /// The fingerprint of one activity.
    public static func fingerprint(_ activity: Activity) -> String {
        var fields: [(String, JSONValue)] = [("type", .string(activity.type.rawValue))]
        switch activity.action {
        case let .run(command): fields.append(("run", .string(command)))
        case let .sleep(milliseconds): fields.append(("sleep_ms", .int(milliseconds)))
        case let .emit(values): fields.append(("emit", .array(values.map { .strings([$0.concept, $0.value]) })))
        }
        let retry = activity.retry
        fields += [
            ("needs", .strings(activity.needs.sorted())),
            ("if", .string(activity.condition.rawValue)),
            ("timeout_ms", .int(activity.timeoutMs)),
            ("retries", .array([.int(Int64(retry.limit)), .int(retry.backoffMs), .double(retry.factor), .int(retry.maxBackoffMs)])),
            ("env", .sortedObject(activity.env)),
            ("inputs", .strings(activity.inputs)),
            ("outputs", .strings(activity.outputs)),
            ("working_directory", .string(activity.workingDirectory)),
        ]
        return DefinitionVersion.of(JSONValue.object(fields).rendered())
    }

    /// What changed from `previous` to this summary, or nil when the versions are equal.
    /// A changed version with no activity changed (a comment, `params`, `max_parallel`)
    /// gives a diff with three empty lists.
    public func diff(from previous: DefinitionSummary) -> DefinitionDiff? {
        guard version != previous.version else { return nil }
        let names = Set(activities.keys)
        let previousNames = Set(previous.activities.keys)
        return DefinitionDiff(
            previousVersion: previous.version,
            added: names.subtracting(previousNames).sorted(),
            removed: previousNames.subtracting(names).sorted(),
            modified: names.intersection(previousNames).filter { activities[$0] != previous.activities[$0] }.sorted()
        )
    }

    /// The summary as UTF-8 JSON, keys sorted, ending in a newline.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Strings and a map of strings always encode.
        return Array(try! encoder.encode(self)) + [0x0A]
    }

    /// Reads a summary written by ``encoded()``.
    /// - Throws: `WorkflowError.invalidState` when the bytes are not such a summary.
    public static func decode(_ bytes: some Collection<UInt8>) throws(WorkflowError) -> DefinitionSummary {
        do {
            return try JSONDecoder().decode(DefinitionSummary.self, from: Data(bytes))
        } catch {
            throw .invalidState("definition summary does not decode: \(error)")
        }
    }
}

/// The fields of `wf.workflow.Changed`: activity names, each list sorted.
public struct DefinitionDiff: Sendable, Equatable {
    /// The version of the definition last run under the same workflow name.
    public var previousVersion: String
    /// Activities that are new.
    public var added: [String]
    /// Activities that are gone.
    public var removed: [String]
    /// Activities present in both whose fingerprint differs.
    public var modified: [String]

    /// A diff with these fields.
    public init(previousVersion: String, added: [String], removed: [String], modified: [String]) {
        self.previousVersion = previousVersion
        self.added = added
        self.removed = removed
        self.modified = modified
    }
}
