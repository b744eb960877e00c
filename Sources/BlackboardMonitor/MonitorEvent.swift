/// One event pair as the monitor stores it: the concept, the context fields of its
/// JSON value, and the value itself (docs/WORKFLOWS.md, "Messages"). Pure.
public struct MonitorEvent: Equatable, Sendable {
    /// What the concept names.
    public enum Kind: Equatable, Sendable {
        /// `wf.workflow.<Event>`.
        case workflow(String)
        /// `wf.activity.<Event>`.
        case activity(String)
        /// `res.<resource>`.
        case resource(String)
        /// Any other concept (stored, not interpreted).
        case other
    }

    /// Why a pair is not an event the monitor can store.
    public enum Rejection: Error, Equatable, Sendable {
        /// The value is not a JSON object.
        case notAnObject
        /// The object has no string `instance`.
        case noInstance
    }

    /// The pair's concept, e.g. `wf.activity.Closed`.
    public let concept: String
    /// What the concept names.
    public let kind: Kind
    /// The context fields of the value (docs/WORKFLOWS.md, "Messages").
    public let instance: String
    public let workflow: String?
    public let version: String?
    public let activity: String?
    public let attempt: Int64?
    public let seq: Int64?
    /// The event's `time` (Unix ms), or the broker's receive time when it has none.
    public let time: Int64
    /// The whole value.
    public let value: JSONValue
    /// The value as received (UTF-8 text).
    public let text: String

    /// Reads the pair `concept` = `bytes`; `fallbackTime` stands in for a missing `time`.
    public init(concept: String, value bytes: [UInt8], fallbackTime: Int64) throws(Rejection) {
        guard let value = try? JSONValue.parse(bytes), case .object = value else { throw .notAnObject }
        guard let instance = value["instance"]?.string, !instance.isEmpty else { throw .noInstance }
        self.concept = concept
        self.kind = Self.kind(of: concept)
        self.instance = instance
        self.workflow = value["workflow"]?.string
        self.version = value["version"]?.string
        self.activity = value["activity"]?.string
        self.attempt = value["attempt"]?.int64
        self.seq = value["seq"]?.int64
        self.time = value["time"]?.int64 ?? fallbackTime
        self.value = value
        self.text = String(decoding: bytes, as: UTF8.self)
    }

    /// The kind of `concept`.
    static func kind(of concept: String) -> Kind {
        for (prefix, make) in [("wf.workflow.", Kind.workflow), ("wf.activity.", Kind.activity), ("res.", Kind.resource)]
        where concept.hasPrefix(prefix) && concept.count > prefix.count {
            return make(String(concept.dropFirst(prefix.count)))
        }
        return .other
    }

    /// A field of the value.
    public subscript(field: String) -> JSONValue? { value[field] }
}
