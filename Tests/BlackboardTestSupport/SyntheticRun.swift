// Synthetic tracking-service messages, built exactly as docs/WORKFLOWS.md specifies
// them ("Messages"): an event pair whose value is a self-contained JSON object (the
// context fields and the event's own), followed by one `ctx.*` pair per context field.
// The monitor and logging tests publish these in place of the engine's.

/// One published message: concept-value pairs in order (values are UTF-8 text).
public typealias SyntheticMessage = [(concept: String, value: String)]

/// The messages of one workflow instance, numbered with its `seq`.
public struct SyntheticRun {
    /// One activity of a synthetic workflow: its needs and how long it runs (ms).
    public struct Activity {
        public var name: String
        public var needs: [String]
        public var durationMilliseconds: Int64
        public var result: String

        public init(_ name: String, needs: [String] = [], duration: Int64, result: String = "Succeeded") {
            self.name = name
            self.needs = needs
            self.durationMilliseconds = duration
            self.result = result
        }
    }

    public let instance: String
    public let workflow: String
    public let version: String
    public let host = "synthetic-host"
    /// The `seq` of the last message built.
    public private(set) var seq: Int64 = 0

    public init(instance: String, workflow: String, version: String) {
        self.instance = instance
        self.workflow = workflow
        self.version = version
    }

    /// One message: the event pair `concept` with `fields` (name → JSON text) and the
    /// context, then the `ctx.*` pairs.
    public mutating func message(_ concept: String, time: Int64, activity: String? = nil, attempt: Int? = nil,
                                 fields: [(String, String)] = []) -> SyntheticMessage {
        seq += 1
        var context: [(String, String)] = [("instance", Self.quoted(instance)), ("workflow", Self.quoted(workflow)),
                                           ("version", Self.quoted(version))]
        if let activity { context.append(("activity", Self.quoted(activity))) }
        if let attempt { context.append(("attempt", String(attempt))) }
        context += [("seq", String(seq)), ("time", String(time)), ("host", Self.quoted(host))]
        let object = "{" + (context + fields).map { Self.quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        return [(concept, object)] + context.map { key, json in
            ("ctx." + key, json.hasPrefix("\"") ? String(json.dropFirst().dropLast()) : json)
        }
    }

    /// The whole run of `activities` from `start` (Unix ms): Created, Started, every
    /// activity's Initialized, then each activity executing as soon as its needs closed
    /// (Executing, a During and an After memory sample, an After CPU sample, Closed), and
    /// Completed. Messages in time order.
    public mutating func complete(_ activities: [Activity], start: Int64, peakRSS: Int64 = 1 << 20,
                                  cpuSeconds: Double = 0.25) -> [SyntheticMessage] {
        var messages = [
            message("wf.workflow.Created", time: start, fields: [("activities", String(activities.count)), ("params", "{}")]),
            message("wf.workflow.Started", time: start),
        ]
        messages += activities.map { initialized($0, time: start) }
        let finishes = Self.finishTimes(activities, start: start)
        var timed: [(time: Int64, order: Int, build: (inout SyntheticRun) -> SyntheticMessage)] = []
        for (order, activity) in activities.enumerated() {
            let end = finishes[activity.name]!
            let begin = end - activity.durationMilliseconds
            timed.append((begin, order, { $0.message("wf.activity.Executing", time: begin, activity: activity.name, attempt: 1,
                                                     fields: [("queued_ms", "0"), ("pid", "4242")]) }))
            timed.append((end, order, { run in run.message("res.memory", time: end, activity: activity.name, attempt: 1, fields: [
                ("phase", "\"After\""), ("rss_bytes", String(peakRSS / 2)), ("peak_rss_bytes", String(peakRSS))]) }))
            timed.append((end, order, { run in run.message("res.cpu", time: end, activity: activity.name, attempt: 1, fields: [
                ("phase", "\"After\""), ("user_seconds", String(cpuSeconds)), ("system_seconds", "0"), ("percent", "50")]) }))
            timed.append((end, order, { $0.closed(activity, time: end) }))
        }
        for entry in timed.enumerated().sorted(by: { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }) {
            messages.append(entry.element.build(&self))
        }
        let end = finishes.values.max() ?? start
        let succeeded = activities.filter { $0.result == "Succeeded" }.count
        messages.append(message("wf.workflow.Completed", time: end, fields: [
            ("result", succeeded == activities.count ? "\"Succeeded\"" : "\"Failed\""), ("duration_ms", String(end - start)),
            ("succeeded", String(succeeded)), ("failed", String(activities.count - succeeded)), ("skipped", "0")]))
        return messages
    }

    /// `wf.activity.Initialized` of `activity`.
    public mutating func initialized(_ activity: Activity, time: Int64) -> SyntheticMessage {
        message("wf.activity.Initialized", time: time, activity: activity.name, attempt: 1, fields: [
            ("type", "\"run\""), ("needs", "[" + activity.needs.map(Self.quoted).joined(separator: ",") + "]")])
    }

    /// `wf.activity.Executing` of `activity` at `time`.
    public mutating func executing(_ activity: Activity, time: Int64) -> SyntheticMessage {
        message("wf.activity.Executing", time: time, activity: activity.name, attempt: 1, fields: [("queued_ms", "0"), ("pid", "4242")])
    }

    /// `wf.activity.Closed` of `activity` at `time`, with its result and duration.
    public mutating func closed(_ activity: Activity, time: Int64) -> SyntheticMessage {
        message("wf.activity.Closed", time: time, activity: activity.name, attempt: 1, fields: [
            ("result", Self.quoted(activity.result)), ("exit_code", activity.result == "Succeeded" ? "0" : "1"),
            ("duration_ms", String(activity.durationMilliseconds)), ("queued_ms", "0"), ("attempts", "1"),
            ("log", Self.quoted("/tmp/\(activity.name).log"))])
    }

    /// When each activity closes if each starts once its needs closed (Unix ms).
    public static func finishTimes(_ activities: [Activity], start: Int64) -> [String: Int64] {
        var finishes: [String: Int64] = [:]
        while finishes.count < activities.count {
            for activity in activities where finishes[activity.name] == nil {
                let needs = activity.needs.map { finishes[$0] }
                guard needs.allSatisfy({ $0 != nil }) else { continue }
                finishes[activity.name] = (needs.map { $0! }.max() ?? start) + activity.durationMilliseconds
            }
        }
        return finishes
    }

    /// `text` as a JSON string (the test names need no escapes beyond quotes and backslashes).
    public static func quoted(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
