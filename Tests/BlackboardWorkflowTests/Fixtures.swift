import Foundation
@testable import BlackboardWorkflow

/// Workflow files shared by the test suites.
enum Fixtures {
    /// The annotated example of docs/WORKFLOWS.md, "The workflow file".
    static let example = """
        workflow: clean-data            # required: name, [A-Za-z0-9_.-]+
        namespace: lab.examples         # optional, dotted name (for grouping in the monitor)
        params:                         # optional string map
          rows: "1000"
        user_concepts: [user.rows_cleaned, user.note]
        max_parallel: 4
        defaults:
          timeout: 5m
        activities:
          fetch:
            run: ./fetch.sh ${{ params.rows }}
            needs: []
            if: success
            timeout: 30s
            retries: {limit: 2, backoff: 500ms, factor: 2.0, max_backoff: 10s}
            env: {KEY: value}
            inputs: [data/raw.csv]
            outputs: [data/clean.csv]
            working_directory: sub/dir
          pause:
            sleep: 2s
            needs: fetch
          tell:
            emit: {user.rows_cleaned: "${{ params.rows }}", user.note: done}
            needs: [fetch]
            if: always

        """

    /// Loads `text`, failing the test on errors.
    static func load(_ text: String) throws -> Workflow {
        try Workflow.parse(text)
    }

    /// A workflow of `run: true` activities from `name: needs` lines, e.g.
    /// `["a", "b: a", "c: a b"]`, with optional `if` conditions as `"d: b c ?failure"`.
    static func graph(_ lines: [String], maxParallel: Int = 4, retries: String? = nil) throws -> Workflow {
        var text = "workflow: test\nmax_parallel: \(maxParallel)\nactivities:\n"
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            var needs = parts.count > 1 ? parts[1].split(separator: " ").map(String.init) : []
            var condition: String?
            if let last = needs.last, last.hasPrefix("?") {
                condition = String(last.dropFirst())
                needs.removeLast()
            }
            text += "  \(parts[0]):\n    run: \"true\"\n    needs: [\(needs.joined(separator: ", "))]\n"
            if let condition { text += "    if: \(condition)\n" }
            if let retries { text += "    retries: \(retries)\n" }
        }
        return try Workflow.parse(text)
    }
}
