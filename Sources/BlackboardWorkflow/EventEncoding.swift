// The concept-value pairs of one message (docs/WORKFLOWS.md, "Messages"):
//
//   engine event     [event pair] + ctx pairs
//   resource sample  [one res.* pair per present and wanted part] + ctx pairs (nothing at all if none)
//   user event       [the user.* pairs as given] + ctx pairs (nothing at all if none)
//
// An event or resource value is one JSON object (JSONValue's bytes): the context fields
// (instance, workflow, version, [activity, attempt,] seq, time, host), then for a resource
// `phase`, then the fields below in this order. Absent optional values are null.

/// Builds the pairs of engine events, resource samples and user events.
public enum EventEncoding {
    /// One concept-value pair, as the client library publishes it.
    public typealias ConceptValue = (concept: String, value: [UInt8])

    /// The event pair (concept `event.kind.concept`, value the context and the event's
    /// fields as JSON) followed by the context pairs.
    public static func pairs(_ event: EngineEvent, context: EventContext) -> [ConceptValue] {
        [(event.kind.concept, value(event, context: context))] + context.pairs
    }

    /// The JSON value of an event's pair.
    public static func value(_ event: EngineEvent, context: EventContext) -> [UInt8] {
        JSONValue.object(context.fields + fields(event)).rendered()
    }

    /// One `res.*` pair per part of `sample` that is present and `wanted` (by concept), in
    /// the order cpu, memory, io, disk, then the context pairs; empty when no part qualifies.
    public static func pairs(
        _ sample: ResourceSample, context: EventContext, wanted: (String) -> Bool
    ) -> [ConceptValue] {
        var pairs: [ConceptValue] = []
        for kind in ResourceKind.allCases where wanted(kind.concept) {
            guard let fields = sample.fields(kind) else { continue }
            let object = JSONValue.object(context.fields + [("phase", .string(sample.phase.rawValue))] + fields)
            pairs.append((kind.concept, object.rendered()))
        }
        return pairs.isEmpty ? [] : pairs + context.pairs
    }

    /// The user pairs as given, then the context pairs; empty when `user` is.
    public static func pairs(user: [ConceptValue], context: EventContext) -> [ConceptValue] {
        user.isEmpty ? [] : user + context.pairs
    }

    /// The event's own fields, in the documented order.
    static func fields(_ event: EngineEvent) -> [(String, JSONValue)] {
        switch event {
        case let .workflowCreated(activities, params):
            return [("activities", .int(Int64(activities))), ("params", .sortedObject(params))]
        case .workflowStarted, .workflowIdle, .workflowSuspended, .workflowResumed, .workflowUnloaded, .activityCompensating:
            return []
        case let .workflowPersisted(path):
            return [("path", .string(path))]
        case let .workflowLoaded(path, completed):
            return [("path", .string(path)), ("completed", .strings(completed))]
        case let .workflowChanged(diff):
            return [
                ("previous_version", .string(diff.previousVersion)), ("added", .strings(diff.added)),
                ("removed", .strings(diff.removed)), ("modified", .strings(diff.modified)),
            ]
        case let .workflowException(error):
            return [("error", .string(error))]
        case let .workflowAborted(reason), let .workflowTerminated(reason):
            return [("reason", .string(reason))]
        case let .workflowCompleted(completion):
            return [
                ("result", .string(completion.result.rawValue)), ("duration_ms", .int(completion.durationMs)),
                ("succeeded", .int(Int64(completion.succeeded))), ("failed", .int(Int64(completion.failed))),
                ("skipped", .int(Int64(completion.skipped))), ("canceled", .int(Int64(completion.canceled))),
            ]
        case let .activityInitialized(type, needs):
            return [("type", .string(type.rawValue)), ("needs", .strings(needs))]
        case let .activityExecuting(queuedMs, pid):
            return [("queued_ms", .int(queuedMs)), ("pid", .int(pid))]
        case let .activityCanceling(reason):
            return [("reason", .string(reason.rawValue))]
        case let .activityFaulting(fault):
            return [
                ("exit_code", .int(fault.exitCode)), ("signal", .int(fault.signal)), ("error", .string(fault.error)),
                ("will_retry", .bool(fault.willRetry)), ("retry_in_ms", .int(fault.retryInMs)),
            ]
        case let .activityClosed(closing):
            return [
                ("result", .string(closing.result.rawValue)), ("exit_code", .int(closing.exitCode)),
                ("duration_ms", .int(closing.durationMs)), ("queued_ms", .int(closing.queuedMs)),
                ("attempts", .int(Int64(closing.attempts))), ("log", .string(closing.log)),
            ]
        }
    }
}
