/// Answers the monitor's HTTP requests from the store: the routes, their query
/// parameters, and the mapping of failures to statuses (through ``HTTPFailure``).
///
///   GET /healthz                                   liveness and counters
///   GET /instances[?state=S&workflow=W&limit=N]    instance statuses (N: 1–1000, default 100)
///   GET /instances/ID                              one instance, with its activity runs
///   GET /activities[?workflow=W]                   per-activity statistics, all versions
///   GET /activities/NAME[?workflow=W&version=V]    one activity, with histograms, per version
///   GET /eta/ID                                    estimated time to completion
public struct MonitorResponder: Sendable {
    let store: MonitorStore
    /// Extra fields for `/healthz` (e.g. the broker connection), read at each request.
    let health: @Sendable () -> [String: JSONValue]
    /// The clock (Unix ms).
    let clock: @Sendable () -> Int64

    /// A responder over `store`; `health` adds fields to `/healthz`, `clock` gives "now".
    public init(store: MonitorStore, health: @escaping @Sendable () -> [String: JSONValue] = { [:] },
                clock: @escaping @Sendable () -> Int64) {
        self.store = store
        self.health = health
        self.clock = clock
    }

    /// The response to `request`.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        do {
            return HTTPResponse(try answer(request))
        } catch let failure as HTTPFailure {
            return HTTPResponse(failure)
        } catch {
            return HTTPResponse(.internalError("\(error)"))
        }
    }

    private func answer(_ request: HTTPRequest) throws -> JSONValue {
        let now = clock()
        switch request.segments {
        case ["healthz"]:
            try allow([], in: request)
            let counters = store.counters
            var object: [String: JSONValue] = [
                "status": "ok", "schema_version": .integer(MonitorSchema.version), "database": .string(store.path),
                "events_stored": JSONValue(counters.stored), "events_duplicate": JSONValue(counters.duplicates),
                "events_rejected": JSONValue(counters.rejected), "last_stored": JSONValue(counters.lastStored), "now": .integer(now),
            ]
            object.merge(health()) { $1 }
            return .object(object)
        case ["instances"]:
            try allow(["state", "workflow", "limit"], in: request)
            var filter = InstanceFilter(state: request.query["state"], workflow: request.query["workflow"])
            if let state = filter.state, !InstanceFilter.states.contains(state) {
                throw HTTPFailure.badQuery("state must be one of \(InstanceFilter.states.sorted().joined(separator: ", "))")
            }
            if let text = request.query["limit"] {
                guard let limit = Int(text), (1...1000).contains(limit) else {
                    throw HTTPFailure.badQuery("limit must be a whole number from 1 to 1000")
                }
                filter.limit = limit
            }
            return try store.instances(filter, now: now)
        case let segments where segments.count == 2 && segments[0] == "instances":
            try allow([], in: request)
            guard let status = try store.instance(segments[1], now: now) else { throw HTTPFailure.notFound("no instance '\(segments[1])'") }
            return status
        case ["activities"]:
            try allow(["workflow"], in: request)
            return try store.activities(workflow: request.query["workflow"])
        case let segments where segments.count == 2 && segments[0] == "activities":
            try allow(["workflow", "version"], in: request)
            guard let answer = try store.activity(segments[1], workflow: request.query["workflow"], version: request.query["version"])
            else { throw HTTPFailure.notFound("no closed run of activity '\(segments[1])'") }
            return answer
        case let segments where segments.count == 2 && segments[0] == "eta":
            try allow([], in: request)
            guard let eta = try store.eta(segments[1], now: now) else { throw HTTPFailure.notFound("no instance '\(segments[1])'") }
            return eta.json
        default:
            throw HTTPFailure.notFound("no such endpoint; try /healthz, /instances, /instances/ID, /activities, /activities/NAME, /eta/ID")
        }
    }

    /// Refuses any query parameter not in `names`.
    private func allow(_ names: Set<String>, in request: HTTPRequest) throws(HTTPFailure) {
        if let unknown = request.query.keys.sorted().first(where: { !names.contains($0) }) {
            throw .badQuery("unknown parameter '\(unknown)'" + (names.isEmpty ? "" : "; this endpoint takes \(names.sorted().joined(separator: ", "))"))
        }
    }
}
