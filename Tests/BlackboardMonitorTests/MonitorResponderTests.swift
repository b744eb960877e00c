import BlackboardMonitor
import BlackboardTestSupport
import Testing

/// The routes and their refusals, without sockets.
@Suite struct MonitorResponderTests {
    private func responder() throws -> MonitorResponder {
        let store = try MonitorStore(path: ":memory:")
        var run = SyntheticRun(instance: "i-1", workflow: "etl", version: "v1")
        for message in run.complete([.init("only", duration: 42)], start: 1_000) {
            _ = try store.ingest([try MonitorEvent(concept: message[0].concept, value: Array(message[0].value.utf8), fallbackTime: 0)],
                                 received: 5_000)
        }
        return MonitorResponder(store: store, health: { ["broker": "connected"] }, clock: { 10_000 })
    }

    private func status(_ responder: MonitorResponder, _ segments: [String], _ query: [String: String] = [:]) -> (Int, JSONValue) {
        let response = responder.respond(to: HTTPRequest(segments: segments, query: query))
        return (response.code, (try? JSONValue.parse(response.body)) ?? .null)
    }

    @Test(arguments: [
        (["healthz"], [:], 200),
        (["instances"], [:], 200),
        (["instances"], ["state": "failed", "workflow": "etl", "limit": "1000"], 200),
        (["instances", "i-1"], [:], 200),
        (["activities"], ["workflow": "etl"], 200),
        (["activities", "only"], ["workflow": "etl", "version": "v1"], 200),
        (["eta", "i-1"], [:], 200),
        ([], [:], 404),
        (["instances", "nope"], [:], 404),
        (["activities", "nope"], [:], 404),
        (["eta", "nope"], [:], 404),
        (["instances", "i-1", "extra"], [:], 404),
        (["metrics"], [:], 404),
        (["instances"], ["state": "sleeping"], 400),
        (["instances"], ["limit": "0"], 400),
        (["instances"], ["limit": "ten"], 400),
        (["instances"], ["color": "red"], 400),
        (["healthz"], ["verbose": "1"], 400),
        (["eta", "i-1"], ["workflow": "etl"], 400),
    ] as [([String], [String: String], Int)])
    func routes(segments: [String], query: [String: String], code: Int) throws {
        let (status, body) = self.status(try responder(), segments, query)
        #expect(status == code)
        if code != 200 { #expect(body["error"]?.string?.isEmpty == false) }
    }

    @Test func healthzCountsAndMergesExtras() throws {
        let (_, body) = status(try responder(), ["healthz"])
        #expect(body["status"] == "ok" && body["broker"] == "connected" && body["schema_version"] == 1)
        #expect(body["events_stored"] == 8 && body["last_stored"] == 5_000 && body["now"] == 10_000)
    }

    @Test func unknownParameterNamesWhatTheEndpointTakes() throws {
        let (_, body) = status(try responder(), ["activities"], ["version": "v1"])
        #expect(body["error"] == "unknown parameter 'version'; this endpoint takes workflow")
    }
}
