import Testing
@testable import BlackboardWorkflow

/// Every load-time check, each with the line (and column) it points at.
@Suite struct WorkflowValidationTests {
    /// A broken file and the problems expected in it, as `LINE:COL: message` fragments.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let expected: [(line: Int, column: Int, contains: String)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "yaml syntax", text: "workflow: a\nactivities:\n  x: [\n", expected: [(4, 1, "YAML syntax error")]),
        Case(name: "tab indentation", text: "workflow: a\nactivities:\n\tx:\n", expected: [(3, 1, "YAML syntax error")]),
        Case(
            name: "control character", text: "workflow: a\nactivities:\n  x: {run: \"a\u{01}b\"}\n",
            expected: [(3, 14, "YAML syntax error: control characters are not allowed")]
        ),
        Case(name: "empty file", text: "# nothing\n", expected: [(1, 1, "holds no workflow")]),
        Case(name: "root is a list", text: "- a\n- b\n", expected: [(1, 1, "expected a mapping, found a list")]),
        Case(
            name: "missing workflow and activities", text: "namespace: x\n",
            expected: [(1, 1, "missing required key 'workflow'"), (1, 1, "missing required key 'activities'")]
        ),
        Case(
            name: "unknown keys at every level, with suggestions",
            text: """
                workflow: a
                paramz: {}
                defaults: {timeout: 1s, retrys: 2}
                activities:
                  x:
                    run: "true"
                    need: []
                    retries: {limit: 1, backof: 1s}
                """,
            expected: [
                (2, 1, "unknown key 'paramz' (did you mean 'params'?)"),
                (3, 25, "defaults: unknown key 'retrys' (did you mean 'retries'?)"),
                (7, 5, "activities.x: unknown key 'need' (did you mean 'needs'?)"),
                (8, 25, "activities.x.retries: unknown key 'backof' (did you mean 'backoff'?)"),
            ]
        ),
        Case(
            name: "far-off unknown key has no suggestion", text: "workflow: a\ncolour: red\nactivities: {x: {run: \"true\"}}\n",
            expected: [(2, 1, "unknown key 'colour'\n")]
        ),
        Case(
            name: "duplicate key", text: "workflow: a\nactivities:\n  x: {run: \"true\"}\n  x: {run: \"false\"}\n",
            expected: [(3, 3, "key 'x' appears more than once")]
        ),
        Case(
            name: "wrong types",
            text: """
                workflow: [a]
                params: 3
                max_parallel: many
                activities:
                  x:
                    run: {a: b}
                    env: [A]
                    inputs: {a: b}
                """,
            expected: [
                (1, 11, "workflow: expected a string, found a list"),
                (2, 9, "params: expected a mapping, found '3'"),
                (3, 15, "max_parallel: expected an integer, found 'many'"),
                (6, 10, "activities.x.run: expected a string, found a mapping"),
                (7, 10, "activities.x.env: expected a mapping, found a list"),
                (8, 13, "activities.x.inputs: expected a string or a list of strings, found a mapping"),
            ]
        ),
        Case(
            name: "an activity with no action and one with several",
            text: "workflow: a\nactivities:\n  x:\n    needs: []\n  y:\n    run: \"true\"\n    sleep: 1s\n",
            expected: [(3, 3, "activities.x: an activity needs exactly one of 'run', 'sleep', 'emit'; it has none"),
                       (7, 5, "it has 'run' and 'sleep'")]
        ),
        Case(
            name: "unknown need, with its entry's line",
            text: "workflow: a\nactivities:\n  fetch: {run: \"true\"}\n  clean:\n    run: \"true\"\n    needs:\n      - fetch\n      - fecth\n      - nothing\n",
            expected: [(8, 9, "needs unknown activity 'fecth' (did you mean 'fetch'?)"), (9, 9, "needs unknown activity 'nothing'")]
        ),
        Case(
            name: "need listed twice", text: "workflow: a\nactivities:\n  a: {run: \"true\"}\n  b: {run: \"true\", needs: [a, a]}\n",
            expected: [(4, 31, "'a' is listed twice in needs")]
        ),
        Case(
            name: "cycle of two",
            text: "workflow: w\nactivities:\n  a:\n    run: \"true\"\n    needs: b\n  b:\n    run: \"true\"\n    needs: [a]\n",
            expected: [(5, 12, "activities.a.needs: dependency cycle: a -> b -> a")]
        ),
        Case(
            name: "self cycle and a longer one",
            text: """
                workflow: w
                activities:
                  s: {run: "true", needs: s}
                  a: {run: "true", needs: c}
                  b: {run: "true", needs: a}
                  c: {run: "true", needs: b}
                """,
            expected: [(3, 27, "dependency cycle: s -> s"), (4, 27, "dependency cycle: a -> c -> b -> a")]
        ),
        Case(
            name: "bad durations",
            text: """
                workflow: a
                activities:
                  a: {run: "true", timeout: 30}
                  b: {run: "true", timeout: 1.5s}
                  c: {run: "true", timeout: 30s1m}
                  d: {sleep: 5x}
                  e: {run: "true", timeout: 0s}
                  f: {sleep: 721h}
                """,
            expected: [
                (3, 29, "bad duration '30'"), (4, 29, "bad duration '1.5s'"), (5, 29, "bad duration '30s1m'"),
                (6, 14, "bad duration '5x'"), (7, 29, "0s is out of range (1ms to 720h)"), (8, 14, "721h is out of range (0s to 720h)"),
            ]
        ),
        Case(
            name: "bad if", text: "workflow: a\nactivities:\n  a:\n    run: \"true\"\n    if: sometimes\n",
            expected: [(5, 9, "bad condition 'sometimes' (use success, failure or always)")]
        ),
        Case(
            name: "absurd retries",
            text: """
                workflow: a
                activities:
                  a: {run: "true", retries: -1}
                  b: {run: "true", retries: 1000}
                  c: {run: "true", retries: {limit: 2, factor: 0.5}}
                  d: {run: "true", retries: {backoff: 1s}}
                  e: {run: "true", retries: {limit: 1, backoff: 10s, max_backoff: 1s}}
                """,
            expected: [
                (3, 29, "-1 is out of range (0 to 100)"), (4, 29, "1000 is out of range (0 to 100)"),
                (5, 48, "0.5 is out of range (1.0 to 10.0)"), (6, 29, "missing required key 'limit'"),
                (7, 67, "max_backoff: 1s is out of range (at least the backoff, 10s)"),
            ]
        ),
        Case(
            name: "user concepts: invalid, not below user., undeclared in emit",
            text: """
                workflow: a
                user_concepts: [user.ok, res.cpu, "user.a b", user.>]
                activities:
                  a:
                    emit: {user.ok: "1", user.other: "2", wf.x: "3"}
                """,
            expected: [
                (2, 26, "'res.cpu' is not a user concept"),
                (2, 35, "invalid concept 'user.a b': byte 0x20 at offset 6"),
                (2, 47, "invalid concept 'user.>'"),
                (5, 26, "'user.other' is not declared in user_concepts"),
                (5, 43, "'wf.x' is not a user concept"),
            ]
        ),
        Case(
            name: "invalid names",
            text: """
                workflow: clean data
                namespace: lab..x
                params: {9lives: "1", ok: "2", OK: "3"}
                activities:
                  fetch.all: {run: "true"}
                  b: {run: "true", env: {"A-B": x}}
                """,
            expected: [
                (1, 11, "invalid workflow name 'clean data'"), (2, 12, "invalid namespace 'lab..x'"),
                (3, 10, "invalid parameter name '9lives'"), (3, 32, "parameters 'ok' and 'OK' both map to BB_PARAM_OK"),
                (5, 3, "invalid activity name 'fetch.all'"), (6, 26, "invalid variable name 'A-B'"),
            ]
        ),
        Case(
            name: "parameter expressions",
            text: """
                workflow: a
                params: {rows: "1"}
                user_concepts: [user.n]
                activities:
                  a: {run: "echo ${{ params.cols }}"}
                  b: {run: "echo ${{ env.HOME }}"}
                  c: {run: "echo ${{ params.rows"}
                  d: {emit: {user.n: "${{ params.nope }}"}, env: {X: "${{params.rows}}"}}
                """,
            expected: [
                (5, 12, "unknown parameter 'cols'"), (6, 12, "bad expression '${{ env.HOME }}'"),
                (7, 12, "bad expression '${{ params.rows'"), (8, 22, "activities.d.emit.user.n: unknown parameter 'nope'"),
            ]
        ),
        Case(
            name: "empty activities, empty run, empty emit",
            text: "workflow: a\nactivities: {}\n",
            expected: [(2, 13, "a workflow needs at least one activity")]
        ),
        Case(
            name: "empty run and emit, absolute working directory",
            text: "workflow: a\nactivities:\n  a: {run: \" \"}\n  b: {emit: {}}\n  c: {run: x, working_directory: /tmp}\n",
            expected: [(3, 12, "'run' is empty"), (4, 13, "found an empty mapping"), (5, 34, "expected a relative path")]
        ),
        Case(
            name: "max_parallel out of range", text: "workflow: a\nmax_parallel: 0\nactivities: {a: {run: x}}\n",
            expected: [(2, 15, "0 is out of range (1 to 1024)")]
        ),
        Case(
            name: "several documents", text: "workflow: a\nactivities: {a: {run: x}}\n---\nworkflow: b\n",
            expected: [(3, 1, "YAML syntax error: but found another document")]
        ),
    ]

    @Test(arguments: cases) func reportsEveryProblemWithItsLine(_ testCase: Case) {
        do {
            let workflow = try Workflow.parse(testCase.text)
            Issue.record("loaded \(workflow.name) without errors")
        } catch {
            let errors = error.fileErrors
            #expect(errors.count == testCase.expected.count, "\(error)")
            for (got, want) in zip(errors, testCase.expected) {
                #expect(got.line == want.line && got.column == want.column, "\(got) vs \(want)")
                #expect((got.message + "\n").contains(want.contains), "\(got.message)")
            }
        }
    }

    @Test func renderingPutsTheFileFirst() {
        let error = WorkflowFileError(line: 3, column: 7, path: "activities.a", .noAction)
        #expect(error.rendered(file: "wf.yaml")
            == "wf.yaml:3:7: activities.a: an activity needs exactly one of 'run', 'sleep', 'emit'; it has none")
    }

    @Test func bytesThatAreNotUTF8AreReportedAtTheirLine() {
        let bytes = Array("workflow: a\nactivities:\n  a: {run: x}\n  b: {run: \"".utf8) + [0xFF, 0x22, 0x7D, 0x0A]
        #expect(throws: WorkflowError.invalidFile([WorkflowFileError(line: 4, column: 1, .notUTF8)])) {
            try Workflow.parse(bytes: bytes)
        }
    }

    @Test func everyCutOfTheExampleLoadsOrReportsWithoutCrashing() {
        let bytes = Array(Fixtures.example.utf8)
        for cut in stride(from: 0, through: bytes.count, by: 3) {
            do {
                _ = try Workflow.parse(bytes: bytes[..<cut])
            } catch {
                #expect(!error.fileErrors.isEmpty)
                #expect(error.fileErrors.allSatisfy { $0.line >= 1 && $0.column >= 1 })
            }
        }
    }
}
