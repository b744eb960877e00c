/// One activity of a workflow, as loaded and validated (defaults already applied).
public struct Activity: Sendable, Equatable {
    /// What an activity does: exactly one of the three kinds.
    public enum Action: Sendable, Equatable {
        /// Runs `command` with `/bin/sh -c` (after `${{ params.NAME }}` substitution).
        case run(command: String)
        /// Waits, without a process.
        case sleep(milliseconds: Int64)
        /// Publishes these declared user concepts (values after substitution), in file order.
        case emit([EmitValue])
    }

    /// The kind of an ``Action`` without its data: the `type` field of `wf.activity.Initialized`.
    public enum ActionType: String, Sendable, CaseIterable {
        case run, sleep, emit
    }

    /// When an activity runs, once its needs allow it.
    public enum Condition: String, Sendable, CaseIterable {
        /// Runs when every need succeeded; skipped as soon as one did not.
        case success
        /// Runs after every need finished, if one of them failed, was canceled, or was
        /// skipped because of a failure or cancellation further up; skipped otherwise.
        case failure
        /// Runs after every need finished, whatever happened.
        case always
    }

    /// One concept of an `emit` activity with its value template.
    public struct EmitValue: Sendable, Equatable, Hashable {
        /// A declared user concept (`user.…`).
        public var concept: String
        /// The value, before `${{ params.NAME }}` substitution.
        public var value: String
    }

    /// The activity's name (`[A-Za-z0-9_-]+`), the key under `activities:`.
    public var name: String
    /// What it does.
    public var action: Action
    /// The activities that must finish first, as written (file order of the list).
    public var needs: [String]
    /// The indices of ``needs`` in ``Workflow/activities``.
    public var needIndices: [Int]
    /// When it runs.
    public var condition: Condition
    /// The time limit of one attempt, in milliseconds; nil for none.
    public var timeoutMs: Int64?
    /// The retry policy.
    public var retry: RetryPolicy
    /// Extra environment, values before substitution.
    public var env: [String: String]
    /// Declared input paths (checked to exist by the engine before the first attempt).
    public var inputs: [String]
    /// Declared output paths (checked by the engine after success).
    public var outputs: [String]
    /// A directory relative to the instance's work directory, or nil for the work directory.
    public var workingDirectory: String?
    /// The line of the activity's name in the file.
    public var line: Int

    /// The action's type.
    public var type: ActionType {
        switch action {
        case .run: return .run
        case .sleep: return .sleep
        case .emit: return .emit
        }
    }

    /// The shell command with `params` substituted, or nil when this is not a `run` activity.
    public func command(params: [String: String]) -> String? {
        guard case let .run(command) = action else { return nil }
        return ParamTemplate.substitute(command, params: params)
    }

    /// The concept-value pairs an `emit` activity publishes, values substituted; empty for
    /// the other kinds.
    public func emitted(params: [String: String]) -> [(concept: String, value: [UInt8])] {
        guard case let .emit(values) = action else { return [] }
        return values.map { ($0.concept, Array(ParamTemplate.substitute($0.value, params: params).utf8)) }
    }

    /// The environment the activity adds to the engine's: `BB_PARAM_<NAME>` for every
    /// parameter (name upper-cased), then ``env`` with `params` substituted (``env`` wins).
    public func environment(params: [String: String]) -> [String: String] {
        var environment: [String: String] = [:]
        for (name, value) in params { environment["BB_PARAM_" + name.uppercased()] = value }
        for (key, value) in env { environment[key] = ParamTemplate.substitute(value, params: params) }
        return environment
    }
}
