import Foundation
import Testing
@testable import BlackboardWorkflow

/// Loading the workflow file: the annotated example, and the shapes the schema allows.
@Suite struct WorkflowParsingTests {
    @Test func theDocumentedExampleLoads() throws {
        let workflow = try Fixtures.load(Fixtures.example)
        #expect(workflow.name == "clean-data")
        #expect(workflow.namespace == "lab.examples")
        #expect(workflow.params == ["rows": "1000"])
        #expect(workflow.userConcepts == ["user.rows_cleaned", "user.note"])
        #expect(workflow.maxParallel == 4)
        #expect(workflow.activities.map(\.name) == ["fetch", "pause", "tell"])
        #expect(workflow.order == [0, 1, 2])

        let fetch = workflow.activities[0]
        #expect(fetch.action == .run(command: "./fetch.sh ${{ params.rows }}"))
        #expect(fetch.command(params: workflow.params) == "./fetch.sh 1000")
        #expect(fetch.needs.isEmpty)
        #expect(fetch.condition == .success)
        #expect(fetch.timeoutMs == 30_000)
        #expect(fetch.retry == RetryPolicy(limit: 2, backoffMs: 500, factor: 2.0, maxBackoffMs: 10_000))
        #expect(fetch.env == ["KEY": "value"])
        #expect(fetch.environment(params: workflow.params) == ["KEY": "value", "BB_PARAM_ROWS": "1000"])
        #expect(fetch.inputs == ["data/raw.csv"])
        #expect(fetch.outputs == ["data/clean.csv"])
        #expect(fetch.workingDirectory == "sub/dir")
        #expect(fetch.line == 10)

        let pause = workflow.activities[1]
        #expect(pause.action == .sleep(milliseconds: 2_000))
        #expect(pause.needs == ["fetch"])
        #expect(pause.needIndices == [0])
        #expect(pause.timeoutMs == 300_000, "defaults.timeout applies")
        #expect(pause.retry == .none)

        let tell = workflow.activities[2]
        #expect(tell.type == .emit)
        #expect(tell.condition == .always)
        let emitted = tell.emitted(params: workflow.params)
        #expect(emitted.map(\.concept) == ["user.rows_cleaned", "user.note"])
        #expect(emitted.map { String(decoding: $0.value, as: UTF8.self) } == ["1000", "done"])
    }

    @Test func shorthandsAndDefaults() throws {
        let workflow = try Fixtures.load("""
            workflow: w.v2
            defaults: {retries: {limit: 1, backoff: 2s}}
            activities:
              a: {run: x}
              b: {run: x, needs: a, retries: 3, inputs: in.txt, outputs: out.txt}
              c:
                run: x
                needs:
                  - a
                  - b
                retries: {limit: 0}
            """)
        #expect(workflow.namespace == nil && workflow.maxParallel == Workflow.defaultMaxParallel)
        #expect(workflow.activities[0].retry == RetryPolicy(limit: 1, backoffMs: 2_000, factor: 2, maxBackoffMs: 60_000))
        #expect(workflow.activities[1].retry == RetryPolicy(limit: 3, backoffMs: 1_000, factor: 2, maxBackoffMs: 60_000))
        #expect(workflow.activities[1].needIndices == [0])
        #expect(workflow.activities[1].inputs == ["in.txt"] && workflow.activities[1].outputs == ["out.txt"])
        #expect(workflow.activities[2].needIndices == [0, 1])
        #expect(workflow.activities[2].retry.maxAttempts == 1)
        #expect(workflow.activities[0].timeoutMs == nil)
    }

    @Test func theDependencyOrderPutsNeedsFirstAndOtherwiseKeepsFileOrder() throws {
        let workflow = try Fixtures.graph(["report: b c", "c: a", "a", "b: a", "alone"])
        #expect(workflow.order.map { workflow.activities[$0].name } == ["a", "c", "b", "report", "alone"])
    }

    @Test func aLargeBackoffRaisesTheDefaultCap() throws {
        let workflow = try Fixtures.load("workflow: w\nactivities: {a: {run: x, retries: {limit: 1, backoff: 5m}}}\n")
        #expect(workflow.activities[0].retry.maxBackoffMs == 300_000)
    }

    @Test func parametersAreSubstitutedAndOverridable() throws {
        let workflow = try Fixtures.load("""
            workflow: w
            params: {rows: "10", name: lab, n_2: 3}
            activities:
              a:
                run: "echo ${{ params.rows }}-${{params.name}}${{ params.rows }} ${HOME} $${{ params.n_2 }}"
                env: {ROWS: "${{ params.rows }}", BB_PARAM_NAME: mine}
            """)
        #expect(workflow.params == ["rows": "10", "name": "lab", "n_2": "3"])
        let params = try workflow.params(overriding: ["rows": "99"])
        #expect(workflow.activities[0].command(params: params) == "echo 99-lab99 ${HOME} $3")
        #expect(workflow.activities[0].environment(params: params)
            == ["BB_PARAM_ROWS": "99", "BB_PARAM_NAME": "mine", "BB_PARAM_N_2": "3", "ROWS": "99"])
        #expect(throws: WorkflowError.unknownParam("cols", known: ["n_2", "name", "rows"])) {
            try workflow.params(overriding: ["cols": "1"])
        }
    }

    @Test(arguments: [
        ("250ms", 250), ("10s", 10_000), ("2m", 120_000), ("1h", 3_600_000), ("1m30s", 90_000), ("1h0m5s500ms", 3_605_500),
        ("0s", 0), ("720h", 2_592_000_000),
    ] as [(String, Int64)])
    func durationsRead(text: String, milliseconds: Int64) {
        #expect(DurationText.milliseconds(text) == milliseconds)
    }

    @Test(arguments: ["", "10", "s", "1.5s", "-1s", "1s1m", "1m1m", "1 s", "1d", "5mss", "1000000000s", "10S"])
    func badDurationsDoNotRead(text: String) {
        #expect(DurationText.milliseconds(text) == nil)
    }

    @Test(arguments: [0, 1, 999, 1_000, 61_000, 90_500, 3_600_000, 2_592_000_000] as [Int64])
    func durationTextReadsBack(milliseconds: Int64) {
        #expect(DurationText.milliseconds(DurationText.text(milliseconds)) == milliseconds)
    }

    @Test func retryDelaysGrowByTheFactorUpToTheCap() {
        let policy = RetryPolicy(limit: 5, backoffMs: 500, factor: 2, maxBackoffMs: 3_000)
        #expect((1...6).map { policy.delayMs(afterFailedAttempts: $0) } == [500, 1_000, 2_000, 3_000, 3_000, nil])
        #expect(RetryPolicy.none.delayMs(afterFailedAttempts: 1) == nil)
    }

    @Test func suggestionsNeedACloseMatch() {
        #expect(Spelling.suggestion(for: "timout", among: Workflow.activityKeys) == "timeout")
        #expect(Spelling.suggestion(for: "ENV", among: Workflow.activityKeys) == "env")
        #expect(Spelling.suggestion(for: "zz", among: Workflow.activityKeys) == nil)
        #expect(Spelling.editDistance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
    }

    @Test func theExampleInTheDocsLoadsAsTheFixtureDoes() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/WORKFLOWS.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## The workflow file").dropFirst().first)
        let yaml = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let documented = try Workflow.parse(yaml)
        var fixture = try Fixtures.load(Fixtures.example)
        for index in fixture.activities.indices { fixture.activities[index].line = documented.activities[index].line }
        #expect(documented == fixture)
    }
}
