/// The context of one published message: the JSON fields every event value starts with,
/// and the `ctx.*` pairs that follow the event pair (docs/WORKFLOWS.md, "Messages").
public struct EventContext: Sendable, Equatable {
    /// The instance id (a UUID string).
    public var instance: String
    /// The `workflow:` name.
    public var workflow: String
    /// The definition version (16 hex digits).
    public var version: String
    /// The activity, for activity events, resource samples and track-file user events.
    public var activity: String?
    /// The attempt (from 1), with ``activity``.
    public var attempt: Int?
    /// The message's sequence number in its instance (from 1, +1 per message built).
    public var seq: UInt64
    /// When the message was built (Unix ms).
    public var timeMs: Int64
    /// The engine's host name.
    public var host: String

    /// A context with these fields.
    public init(
        instance: String, workflow: String, version: String, activity: String? = nil, attempt: Int? = nil,
        seq: UInt64, timeMs: Int64, host: String
    ) {
        self.instance = instance
        self.workflow = workflow
        self.version = version
        self.activity = activity
        self.attempt = attempt
        self.seq = seq
        self.timeMs = timeMs
        self.host = host
    }

    /// The fields in their fixed order: instance, workflow, version, activity, attempt,
    /// seq, time, host; activity and attempt only when set. Numbers as JSON numbers.
    var fields: [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("instance", .string(instance)), ("workflow", .string(workflow)), ("version", .string(version))]
        if let activity { fields.append(("activity", .string(activity))) }
        if let attempt { fields.append(("attempt", .int(Int64(attempt)))) }
        fields += [("seq", .int(Int64(clamping: seq))), ("time", .int(timeMs)), ("host", .string(host))]
        return fields
    }

    /// The `ctx.*` pairs, in the order of ``fields``, each value the field as UTF-8 text.
    public var pairs: [(concept: String, value: [UInt8])] {
        var pairs: [(concept: String, value: [UInt8])] = [
            ("ctx.instance", Array(instance.utf8)), ("ctx.workflow", Array(workflow.utf8)), ("ctx.version", Array(version.utf8)),
        ]
        if let activity { pairs.append(("ctx.activity", Array(activity.utf8))) }
        if let attempt { pairs.append(("ctx.attempt", Array(String(attempt).utf8))) }
        pairs += [("ctx.seq", Array(String(seq).utf8)), ("ctx.time", Array(String(timeMs).utf8)), ("ctx.host", Array(host.utf8))]
        return pairs
    }
}
