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
}
