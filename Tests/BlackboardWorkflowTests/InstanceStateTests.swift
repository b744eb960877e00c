import Testing
@testable import BlackboardWorkflow

/// The persisted instance state: its bytes, its round trip, and the resume rule.
@Suite struct InstanceStateTests {
    static func sample() throws -> (Workflow, InstanceState) {
        let workflow = try Fixtures.load(Fixtures.example)
        var state = InstanceState(
            id: "3F2504E0-4F89-11D3-9A0C-0305E82C3301", workflow: workflow, version: "0123456789abcdef",
            definitionPath: "/srv/wf/clean.yaml", params: ["rows": "10"], workDirectory: "/srv/wf/run 1",
            createdMs: 1_700_000_000_000
        )
        state.startedMs = 1_700_000_000_005
        state.seq = 7
        state.activities[0].enqueue(now: 1_700_000_000_005)
        state.activities[0].begin(now: 1_700_000_000_010, logPath: "logs/fetch.1.log")
        state.activities[0].finish(.exited(0), now: 1_700_000_000_510)
        state.activities[1].begin(now: 1_700_000_000_510, logPath: nil)
        return (workflow, state)
    }

    @Test func roundTripsThroughItsBytes() throws {
        let (_, state) = try Self.sample()
        let bytes = state.encoded()
        #expect(try InstanceState.decode(bytes) == state)
        #expect(try InstanceState.decode(bytes).encoded() == bytes, "stable bytes")
    }

    @Test func theBytesAreSortedIndentedJSON() throws {
        let (_, state) = try Self.sample()
        let text = String(decoding: state.encoded(), as: UTF8.self)
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == [
            "activities", "created_ms", "definition_path", "format", "id", "params", "seq", "started_ms", "version",
            "work_directory", "workflow",
        ])
        #expect(text.contains("\"log_path\" : \"logs/fetch.1.log\""))
        #expect(text.contains("\"definition_path\" : \"/srv/wf/clean.yaml\""), "slashes are not escaped")
        #expect(text.hasSuffix("}\n"))
    }

    @Test(arguments: ["", "{}", "[1]", "{\"format\": 1}", "not json"])
    func garbageIsRefused(_ text: String) {
        #expect(throws: WorkflowError.self) { try InstanceState.decode(Array(text.utf8)) }
    }

    @Test func anotherFormatIsRefused() throws {
        var (_, state) = try Self.sample()
        state.format = 2
        #expect(throws: WorkflowError.invalidState("instance state format 2, expected 1")) {
            try InstanceState.decode(state.encoded())
        }
    }

    @Test func resumeKeepsWhatSucceededAndResetsTheRest() throws {
        let workflow = try Fixtures.graph(["a", "b: a", "c: b", "h: a ?failure", "k: h", "x"], retries: "1")
        var state = InstanceState(
            id: "i", workflow: workflow, version: "v", definitionPath: "p", params: [:], workDirectory: "w", createdMs: 0
        )
        func finish(_ index: Int, _ result: ActivityState.AttemptResult) {
            state.activities[index].begin(now: 1, logPath: "l")
            state.activities[index].finish(result, now: 2)
        }
        finish(0, .exited(0))  // a succeeded
        finish(1, .exited(1))
        finish(1, .exited(1))  // b failed, no attempt left
        state.activities[2].skip(now: 3)  // c skipped because b failed
        state.activities[3].skip(now: 3)  // h skipped: a succeeded
        state.activities[4].skip(now: 3)  // k skipped below h
        state.activities[5].begin(now: 1, logPath: "l")  // x was running when the engine died
        state.seq = 40
        state.finishedMs = 9
        state.result = .failed

        let kept = try state.prepareForResume(workflow: workflow)
        #expect(kept == ["a", "h", "k"])
        #expect(state.activities.map(\.status) == [.succeeded, .pending, .pending, .skipped, .skipped, .pending])
        #expect(state.activities[1] == ActivityState(name: "b"), "attempts and outcome reset")
        #expect(state.activities[5] == ActivityState(name: "x"))
        #expect(state.seq == 40 && state.finishedMs == nil && state.result == nil)

        let plan = Planner(workflow: workflow).plan(state.activities, now: 10)
        #expect(plan.start == [1, 5])
    }

    @Test func resumeRefusesAnotherDefinition() throws {
        let (_, state) = try Self.sample()
        var copy = state
        #expect(throws: WorkflowError.self) { _ = try copy.prepareForResume(workflow: try Fixtures.graph(["a"])) }
    }
}
