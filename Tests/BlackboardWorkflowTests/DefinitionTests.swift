import Foundation
import Testing
@testable import BlackboardWorkflow

/// The definition version (FNV-1a 64) and the activity-level diff behind `wf.workflow.Changed`.
@Suite struct DefinitionTests {
    @Test(arguments: [("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8")])
    func theVersionIsFNV1a64InHex(text: String, expected: String) {
        #expect(DefinitionVersion.of(Array(text.utf8)) == expected)
    }

    @Test func anyByteChangesTheVersion() {
        #expect(DefinitionVersion.of(Array("workflow: a\n".utf8)) != DefinitionVersion.of(Array("workflow: a \n".utf8)))
    }

    static let old = """
        workflow: w
        defaults: {timeout: 1m}
        activities:
          fetch: {run: ./fetch.sh, needs: [], retries: 1}
          clean: {run: ./clean.sh, needs: [fetch, stats]}
          stats: {run: ./stats.sh}
          gone: {sleep: 1s}
        """

    static let new = """
        workflow: w   # a comment, keys reordered, needs reordered, activities moved
        defaults: {timeout: 1m}
        activities:
          stats: {run: ./stats.sh}
          clean: {needs: [stats, fetch], run: ./clean.sh}
          fetch: {run: ./fetch.sh --all, retries: 1}
          report: {emit: {user.n: "1"}, needs: clean}
        user_concepts: [user.n]
        """

    func summary(_ text: String) throws -> DefinitionSummary {
        DefinitionSummary(workflow: try Fixtures.load(text), version: DefinitionVersion.of(Array(text.utf8)))
    }

    @Test func theDiffNamesAddedRemovedAndModifiedActivities() throws {
        let old = try summary(Self.old)
        let diff = try summary(Self.new).diff(from: old)
        #expect(diff == DefinitionDiff(previousVersion: old.version, added: ["report"], removed: ["gone"], modified: ["fetch"]))
    }

    @Test func anEqualVersionHasNoDiffAndACosmeticChangeAnEmptyOne() throws {
        #expect(try summary(Self.old).diff(from: try summary(Self.old)) == nil)
        let diff = try summary(Self.old + "\n# trailing comment\n").diff(from: try summary(Self.old))
        #expect(diff.map { $0.added + $0.removed + $0.modified } == [])
    }

    @Test(arguments: [
        "run: ./other.sh", "timeout: 2m", "retries: 2", "if: always", "env: {A: b}", "inputs: [x]", "outputs: [y]",
        "working_directory: sub", "needs: [stats]",
    ])
    func everyActivityFieldChangesTheFingerprint(change: String) throws {
        let base = "workflow: w\nactivities:\n  stats: {run: ./stats.sh}\n  a:\n    run: ./a.sh\n"
        let changed = base.replacingOccurrences(of: "    run: ./a.sh\n", with: "    run: ./a.sh\n    \(change)\n")
            .replacingOccurrences(of: "    run: ./a.sh\n    run: ./other.sh\n", with: "    run: ./other.sh\n")
        let before = try Fixtures.load(base).activities[1]
        let after = try Fixtures.load(changed).activities[1]
        #expect(DefinitionSummary.fingerprint(before) != DefinitionSummary.fingerprint(after))
    }

    @Test func defaultsCountAsTheActivitysOwn() throws {
        let implicit = try Fixtures.load("workflow: w\ndefaults: {timeout: 5s}\nactivities: {a: {run: x}}\n")
        let explicit = try Fixtures.load("workflow: w\nactivities: {a: {run: x, timeout: 5s}}\n")
        #expect(DefinitionSummary.fingerprint(implicit.activities[0]) == DefinitionSummary.fingerprint(explicit.activities[0]))
    }

    @Test func theSummaryRoundTrips() throws {
        let summary = try summary(Self.new)
        #expect(try DefinitionSummary.decode(summary.encoded()) == summary)
        #expect(throws: WorkflowError.self) { try DefinitionSummary.decode(Array("{\"workflow\": 1}".utf8)) }
    }
}
