import BlackboardProtocol
import Foundation
import Testing

/// The tracking service against the real daemon: what a workflow publishes, and that
/// what nobody subscribed to is never built.
@Suite struct WorkflowTrackingTests {
    static let yaml = """
        workflow: tracked
        user_concepts: [user.rows]
        activities:
          one:
            run: |
              echo '{"user.rows": 42}' >> "$BLACKBOARD_TRACK"
          two:
            emit: {user.rows: "7"}
            needs: one
        """

    /// Runs `yaml` with the engine against `daemon`; returns the tool's result.
    func run(_ yaml: String, daemon: Daemon, _ scratch: TemporaryPath) throws -> Tool.Result {
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let file = scratch.path + "/workflow.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return try Tool(["workflow", "run", "--port", "\(daemon.port)", "--state-dir", scratch.path + "/state", file])
            .finish(timeout: 60)
    }

    /// A subscriber to `entries`, subscribed and synced before the engine starts.
    func subscriber(_ daemon: Daemon, _ entries: [String]) throws -> RawClient {
        let client = try RawClient.hello(daemon.port, "urn:test:tracking-\(UUID().uuidString)")
        try client.subscribe(entries)
        return client
    }

    /// Deliveries until one carries `last` (a concept), as (concept, JSON value) pairs per message.
    func messages(_ client: RawClient, until last: String) throws -> [[(String, String)]] {
        var messages: [[(String, String)]] = []
        while true {
            let delivery = try #require(try client.readReply(timeout: 30) { $0.delivery != nil }.delivery)
            let pairs = delivery.pairs.map { ($0.concept, String(decoding: $0.value, as: UTF8.self)) }
            messages.append(pairs)
            if pairs.contains(where: { $0.0 == last }) { return messages }
        }
    }

    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    @Test func aSubscriberOfEverythingSeesTheWholeSequence() throws {
        let daemon = try Daemon.start()
        let everything = try subscriber(daemon, [">"])
        let scratch = TemporaryPath("blackboard-track")
        let result = try run(Self.yaml, daemon: daemon, scratch)
        #expect(result.status == 0, "\(result.standardError)")
        let messages = try messages(everything, until: "wf.workflow.Unloaded")

        // Every message carries the context, and seq counts the messages without a gap.
        let seqs = messages.map { message in message.first { $0.0 == "ctx.seq" }.map { UInt64($0.1) ?? 0 } ?? 0 }
        #expect(seqs == Array(1...UInt64(messages.count)))
        let events = messages.compactMap { message in
            message.first { !$0.0.hasPrefix("ctx.") && !$0.0.hasPrefix("res.") && $0.0 != "wf.workflow.Persisted" }
        }
        let named = events.map { event -> String in
            let activity = Self.object(event.1)["activity"] as? String
            return activity.map { "\(event.0)(\($0))" } ?? event.0
        }
        #expect(named == [
            "wf.workflow.Created", "wf.workflow.Started",
            "wf.activity.Initialized(one)", "wf.activity.Initialized(two)",
            "wf.activity.Executing(one)", "user.rows", "wf.activity.Closed(one)",
            "wf.activity.Executing(two)", "user.rows", "wf.activity.Closed(two)",
            "wf.workflow.Completed", "wf.workflow.Unloaded",
        ])
        // The user values as written; the Closed fields; the completion counts.
        #expect(events.filter { $0.0 == "user.rows" }.map(\.1) == ["42", "7"])
        let closedOne = Self.object(events[6].1)
        #expect(closedOne["result"] as? String == "Succeeded" && closedOne["exit_code"] as? Int == 0)
        #expect(closedOne["workflow"] as? String == "tracked" && closedOne["attempt"] as? Int == 1)
        let completed = Self.object(events[10].1)
        #expect(completed["result"] as? String == "Succeeded" && completed["succeeded"] as? Int == 2)
        // Resource samples of the run activity: Before and After at least.
        let phases = messages.flatMap { $0 }.filter { $0.0 == "res.cpu" }.compactMap { Self.object($0.1)["phase"] as? String }
        #expect(phases.contains("Before") && phases.contains("After"))
    }

    @Test func onlyWhatIsWantedIsBuiltAndPublished() throws {
        let daemon = try Daemon.start()
        let closedOnly = try subscriber(daemon, ["wf.activity.Closed"])
        let scratch = TemporaryPath("blackboard-track")
        let result = try run(Self.yaml, daemon: daemon, scratch)
        #expect(result.status == 0)
        var deliveries: [Delivery] = []
        while deliveries.count < 2 {
            deliveries.append(try #require(try closedOnly.readReply(timeout: 30) { $0.delivery != nil }.delivery))
        }
        #expect(deliveries.allSatisfy { $0.pairs.map(\.concept) == ["wf.activity.Closed"] })
        // seq counts the messages the engine built: nothing but these two was built.
        let seqs = deliveries.map { Self.object(String(decoding: $0.pairs[0].value, as: UTF8.self))["seq"] as? Int }
        #expect(seqs == [1, 2])
        #expect(result.standardError.contains("2 messages published"), "\(result.standardError)")
        #expect(try closedOnly.isSilent(for: 0.2))
    }

    @Test func nothingIsBuiltWithoutSubscribersAndEventsFlowOnceOneAppears() throws {
        let daemon = try Daemon.start()
        let scratch = TemporaryPath("blackboard-track")
        let quiet = try run(Self.yaml, daemon: daemon, scratch)
        #expect(quiet.status == 0)
        #expect(quiet.standardError.contains("0 messages published"), "\(quiet.standardError)")
        #expect(!quiet.standardError.contains(" 0 events not built"))

        let completions = try subscriber(daemon, ["wf.workflow.Completed"])
        let second = try run(Self.yaml, daemon: daemon, scratch)
        #expect(second.status == 0)
        let delivery = try #require(try completions.readReply(timeout: 30) { $0.delivery != nil }.delivery)
        #expect(delivery.pairs.map(\.concept) == ["wf.workflow.Completed"])
        #expect(second.standardError.contains("1 messages published"))
    }

    @Test func aCPUBurningStepReportsPlausibleResources() throws {
        let daemon = try Daemon.start()
        let resources = try subscriber(daemon, ["res.>"])
        let scratch = TemporaryPath("blackboard-track")
        let burn = """
            workflow: burner
            activities:
              burn:
                run: awk 'BEGIN { for (i = 0; i < 3000000; i++) x += sin(i); print x }'
            """
        let result = try run(burn, daemon: daemon, scratch)
        #expect(result.status == 0)
        var after: [String: [String: Any]] = [:]
        while after.count < 4 {
            let delivery = try #require(try resources.readReply(timeout: 30) { $0.delivery != nil }.delivery)
            for pair in delivery.pairs where pair.concept.hasPrefix("res.") {
                let object = Self.object(String(decoding: pair.value, as: UTF8.self))
                if object["phase"] as? String == "After" { after[pair.concept] = object }
            }
        }
        let cpu = try #require(after["res.cpu"])
        #expect((cpu["user_seconds"] as? Double ?? 0) > 0.05)
        #expect((cpu["percent"] as? Double ?? 0) > 0 && (cpu["percent"] as? Double ?? 0) <= 200)
        #expect((after["res.memory"]?["peak_rss_bytes"] as? Int ?? 0) > 100_000)
        #expect((after["res.disk"]?["free_bytes"] as? Int ?? 0) > 0)
        #expect(after["res.io"]?["write_bytes"] is Int)
    }

    @Test func aChangedDefinitionIsPublishedWithWhatChanged() throws {
        let daemon = try Daemon.start()
        let scratch = TemporaryPath("blackboard-track")
        #expect(try run(Self.yaml, daemon: daemon, scratch).status == 0)
        let changes = try subscriber(daemon, ["wf.workflow.Changed"])
        let edited = Self.yaml.replacingOccurrences(of: "emit: {user.rows: \"7\"}", with: "emit: {user.rows: \"8\"}")
            + "\n  three:\n    run: \"true\"\n"
        #expect(try run(edited, daemon: daemon, scratch).status == 0)
        let delivery = try #require(try changes.readReply(timeout: 30) { $0.delivery != nil }.delivery)
        let changed = Self.object(String(decoding: delivery.pairs[0].value, as: UTF8.self))
        #expect(changed["added"] as? [String] == ["three"])
        #expect(changed["modified"] as? [String] == ["two"])
        #expect(changed["removed"] as? [String] == [])
    }

    @Test func samplingStartsWhenAResourceSubscriberAppearsMidRunAndTrackLinesAskForSamples() throws {
        let daemon = try Daemon.start()
        let scratch = TemporaryPath("blackboard-track")
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let file = scratch.path + "/workflow.yaml"
        try """
            workflow: sampled
            activities:
              wait:
                run: |
                  while [ ! -f "$BB_WORKFLOW_DIR/go" ]; do sleep 0.02; done
                  echo '{"resource": ["res.memory"]}' >> "$BLACKBOARD_TRACK"
                  while [ ! -f "$BB_WORKFLOW_DIR/stop" ]; do sleep 0.02; done
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let engine = try Tool(["workflow", "run", "--port", "\(daemon.port)", "--state-dir", scratch.path + "/state",
                               "--sample-interval", "0.05", file])
        try waitUntil("the activity to start") { engine.standardError.contains("wait: started") }
        // Nobody wants resources yet: the sampler is off. Now a subscriber appears.
        let resources = try subscriber(daemon, ["res.>"])
        var phases: [String] = []
        try waitUntil(timeout: 20, "During samples to flow") {
            guard let delivery = try resources.readReply(timeout: 10, until: { $0.delivery != nil }).delivery else { return false }
            phases += delivery.pairs.filter { $0.concept.hasPrefix("res.") }
                .compactMap { Self.object(String(decoding: $0.value, as: UTF8.self))["phase"] as? String }
            return phases.filter { $0 == "During" }.count >= 2
        }
        #expect(!phases.contains("Before"), "the Before sample was taken while nobody wanted it")
        FileManager.default.createFile(atPath: scratch.path + "/go", contents: nil)
        try waitUntil(timeout: 20, "the requested sample") {
            guard let delivery = try resources.readReply(timeout: 10, until: { $0.delivery != nil }).delivery else { return false }
            let user = delivery.pairs.filter { Self.object(String(decoding: $0.value, as: UTF8.self))["phase"] as? String == "User" }
            if !user.isEmpty { #expect(user.map(\.concept) == ["res.memory"]) }
            return !user.isEmpty
        }
        FileManager.default.createFile(atPath: scratch.path + "/stop", contents: nil)
        #expect(try engine.finish(timeout: 30).status == 0)
    }

    @Test func withoutABrokerTheWorkflowStillRunsAndSaysSoOnce() throws {
        let scratch = TemporaryPath("blackboard-track")
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let file = scratch.path + "/workflow.yaml"
        try Self.yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let port = try unusedPort()
        let result = try Tool(["workflow", "run", "--port", "\(port)", "--state-dir", scratch.path + "/state", file]).finish()
        #expect(result.status == 0)
        #expect(result.standardError.components(separatedBy: "broker unreachable").count == 2, "\(result.standardError)")
        #expect(result.standardError.contains("nothing published (no broker)"))
    }
}
