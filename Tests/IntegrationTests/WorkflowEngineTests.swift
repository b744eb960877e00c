import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `blackboard workflow run|resume` as a user runs them: real child processes, a real
/// state directory, without a broker (the tracking tests are in WorkflowTrackingTests).
@Suite struct WorkflowEngineTests {
    /// A workflow file and a state directory in a fresh temporary directory.
    final class Scratch {
        let root = TemporaryPath("blackboard-wf")
        var file: String { root.path + "/workflow.yaml" }
        var state: String { root.path + "/state" }

        init(_ yaml: String) throws {
            try FileManager.default.createDirectory(atPath: root.path, withIntermediateDirectories: true)
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        }

        /// `blackboard workflow ARGS --no-broker --state-dir STATE`, started.
        func tool(_ arguments: [String]) throws -> Tool {
            try Tool(["workflow"] + arguments + ["--no-broker", "--state-dir", state])
        }

        /// The instance id the engine printed.
        func instance(of tool: Tool) throws -> String {
            var id: String?
            try waitUntil("the instance id") {
                id = tool.standardError.firstMatch(of: /instance ([0-9a-f-]{36})/).map { String($0.1) }
                return id != nil
            }
            return id!
        }

        /// The instance's state file, parsed.
        func state(_ id: String) throws -> [String: Any] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(state)/instances/\(id)/state.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        /// Activity states by name.
        func activities(_ id: String) throws -> [String: [String: Any]] {
            let list = try #require(try state(id)["activities"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
        }

        func work(_ id: String) -> String { "\(state)/instances/\(id)/work" }
    }

    /// Whether process `pid` exists (and is not a zombie).
    static func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
    }

    @Test func dependenciesOrderTheRunParallelBranchesOverlapAndAFailedStepIsRetried() throws {
        let scratch = try Scratch("""
            workflow: shape
            max_parallel: 2
            activities:
              a:
                run: echo a > a.out
                outputs: [a.out]
              b:
                run: touch b.started; while [ ! -f c.started ]; do sleep 0.01; done; cat a.out > b.out
                needs: a
                timeout: 20s
              c:
                run: touch c.started; while [ ! -f b.started ]; do sleep 0.01; done; test -f .again || { touch .again; exit 7; }
                needs: a
                timeout: 20s
                retries: {limit: 1, backoff: 50ms}
              d:
                run: cat b.out
                needs: [b, c]
            """)
        let run = try scratch.tool(["run", scratch.file])
        let result = try run.finish(timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let id = try scratch.instance(of: run)
        let activities = try scratch.activities(id)
        func ms(_ name: String, _ key: String) -> Int64 { (activities[name]?[key] as? NSNumber)?.int64Value ?? -1 }
        // a before b and c; b and c each waited for the other to start, so they ran together.
        #expect(ms("a", "finished_ms") <= ms("b", "started_ms") && ms("a", "finished_ms") <= ms("c", "started_ms"))
        #expect(ms("d", "started_ms") >= max(ms("b", "finished_ms"), ms("c", "finished_ms")))
        #expect(activities["c"]?["attempts"] as? Int == 2 && activities["c"]?["status"] as? String == "succeeded")
        #expect(try scratch.state(id)["result"] as? String == "Succeeded")
        #expect(result.standardError.contains("c: exited with code 7, will retry"))
    }

    @Test func aTimeoutKillsTheActivitysWholeProcessTree() throws {
        let scratch = try Scratch("""
            workflow: slow
            activities:
              stuck:
                run: sleep 30 & echo $! > grandchild.pid; sleep 30; wait
                timeout: 300ms
              after:
                run: "true"
                needs: stuck
            """)
        let run = try scratch.tool(["run", "--grace", "0.5", scratch.file])
        let result = try run.finish(timeout: 20)
        #expect(result.status == 4, "\(result.standardError)")
        let id = try scratch.instance(of: run)
        let grandchild = try #require(Int32(try String(contentsOfFile: scratch.work(id) + "/grandchild.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!Self.alive(grandchild))
        let activities = try scratch.activities(id)
        #expect(activities["stuck"]?["status"] as? String == "failed")
        #expect((activities["stuck"]?["error"] as? String)?.contains("timed out") == true)
        #expect(activities["after"]?["status"] as? String == "skipped")
    }

    @Test func sigintCancelsTheRunAndKillsTheRunningTrees() throws {
        let scratch = try Scratch("""
            workflow: interrupted
            activities:
              long:
                run: sleep 30 & echo $! > grandchild.pid; echo $$ > leader.pid; sleep 30; wait
              next:
                run: "true"
                needs: long
            """)
        let run = try scratch.tool(["run", "--grace", "0.5", scratch.file])
        let id = try scratch.instance(of: run)
        func pid(_ file: String) -> Int32? {
            (try? String(contentsOfFile: scratch.work(id) + "/" + file, encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        // Both files written whole (the shell writes them one after the other).
        try waitUntil("the activity to write its pids") { pid("grandchild.pid") != nil && pid("leader.pid") != nil }
        let pids = [pid("grandchild.pid")!, pid("leader.pid")!]
        kill(run.pid, SIGINT)
        let result = try run.finish(timeout: 20)
        #expect(result.status == 5, "\(result.standardError)")
        #expect(pids.allSatisfy { !Self.alive($0) })
        let activities = try scratch.activities(id)
        #expect(activities["long"]?["status"] as? String == "canceled")
        #expect(activities["next"]?["status"] as? String == "canceled")
        #expect(try scratch.state(id)["result"] as? String == "Failed")
    }

    @Test func resumeAfterTheEngineIsKilledSkipsWhatCompletedAndStopsWhatWasLeftRunning() throws {
        let scratch = try Scratch("""
            workflow: resumable
            activities:
              first:
                run: echo ran >> first.runs
              second:
                run: |
                  if [ -f second.started ]; then echo resumed > second.done; else echo $$ > second.started; sleep 30; fi
                needs: first
              third:
                run: cat second.done
                needs: second
            """)
        let run = try scratch.tool(["run", scratch.file])
        let id = try scratch.instance(of: run)
        let marker = scratch.work(id) + "/second.started"
        try waitUntil("the second activity to start") { FileManager.default.fileExists(atPath: marker) }
        kill(run.pid, SIGKILL)
        _ = try run.finish()
        let orphan = try #require(Int32(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.alive(orphan), "the killed engine's activity keeps running until resume stops it")
        #expect(try scratch.state(id)["result"] == nil)

        let resumed = try scratch.tool(["resume", id]).finish(timeout: 30)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("killed process group \(orphan)"))
        #expect(!Self.alive(orphan))
        #expect(try String(contentsOfFile: scratch.work(id) + "/first.runs", encoding: .utf8) == "ran\n")
        #expect(try scratch.activities(id)["third"]?["status"] as? String == "succeeded")

        let again = try scratch.tool(["resume", id]).finish()
        #expect(again.status == 1 && again.standardError.contains("has already finished"))
    }

    @Test func aBrokenFileIsRefusedWithEveryProblemsLine() throws {
        let scratch = try Scratch("""
            workflow: broken
            activities:
              a:
                run: "true"
                needs: [missing]
              b:
                sleep: 10 parsecs
            """)
        let result = try scratch.tool(["run", scratch.file]).finish()
        #expect(result.status == 1)
        #expect(result.standardError.contains("\(scratch.file):5:"), "\(result.standardError)")
        #expect(result.standardError.contains("\(scratch.file):7:"), "\(result.standardError)")
    }
}
