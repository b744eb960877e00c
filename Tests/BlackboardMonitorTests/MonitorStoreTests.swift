import BlackboardClient
import BlackboardMonitor
import BlackboardTestSupport
import Foundation
import Testing

/// The store fed synthetic tracking messages (as the monitor's `wf.>` and `res.>`
/// subscription receives them: the event pairs, no `ctx.*` pairs).
@Suite struct MonitorStoreTests {
    typealias Activity = SyntheticRun.Activity

    /// extract → (transform_a, transform_b) → load.
    static func etl(_ scale: Int64 = 0) -> [Activity] {
        [Activity("extract", duration: 1000 + scale), Activity("transform_a", needs: ["extract"], duration: 2000 + 2 * scale),
         Activity("transform_b", needs: ["extract"], duration: 3000 + 3 * scale),
         Activity("load", needs: ["transform_a", "transform_b"], duration: 500 + scale)]
    }

    static let start: Int64 = 1_763_700_000_000

    /// A fresh store on a temporary file.
    final class Fixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-\(UUID().uuidString)")
        let store: MonitorStore
        var sequence: UInt64 = 0

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try MonitorStore(path: directory.appendingPathComponent("monitor.db").path, defaultEstimateMilliseconds: 7_000)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func feed(_ messages: [SyntheticMessage]) throws {
            for message in messages {
                sequence += 1
                let pairs = message.filter { !$0.concept.hasPrefix("ctx.") }.map { Pair($0.concept, $0.value) }
                try store.ingest(Delivery(sequence: sequence, publisher: "urn:test:engine", timestamp: 1, pairs: pairs), received: 2)
            }
        }

        /// Five runs of etl (scale 0, 10, 20, 30, 40), one minute apart.
        func history(version: String = "v1", workflow: String = "etl") throws {
            for index in 0..<5 {
                var run = SyntheticRun(instance: "\(workflow)-\(version)-\(index)", workflow: workflow, version: version)
                try feed(run.complete(MonitorStoreTests.etl(Int64(index) * 10), start: MonitorStoreTests.start + Int64(index) * 60_000))
            }
        }
    }

    @Test func statusFollowsACompletedRun() throws {
        let fixture = try Fixture()
        var run = SyntheticRun(instance: "i-1", workflow: "etl", version: "v1")
        try fixture.feed(run.complete(Self.etl(), start: Self.start))
        #expect(fixture.store.counters.rejected == 0 && fixture.store.counters.duplicates == 0)
        let list = try fixture.store.instances(InstanceFilter(), now: Self.start + 10_000)
        #expect(list["total"] == 1)
        let status = try #require(list["instances"]?.array?.first)
        #expect(status["state"] == "succeeded" && status["workflow"] == "etl" && status["version"] == "v1")
        #expect(status["started"] == .integer(Self.start) && status["finished"] == .integer(Self.start + 4500))
        #expect(status["duration_ms"] == 4500 && status["elapsed_ms"] == .null)
        #expect(status["activities_done"] == 4 && status["activities_total"] == 4 && status["running"] == [])
        let detail = try #require(try fixture.store.instance("i-1", now: Self.start))
        let runs = try #require(detail["activities"]?.array)
        // All initialized at the same time: by name.
        #expect(runs.map { $0["activity"]?.string ?? "" } == ["extract", "load", "transform_a", "transform_b"])
        let load = try #require(runs.first { $0["activity"] == "load" })
        #expect(load["needs"] == ["transform_a", "transform_b"] && load["result"] == "Succeeded" && load["duration_ms"] == 500)
        #expect(load["peak_rss_bytes"] == .integer(1 << 20) && load["cpu_seconds"] == .number(0.25))
        #expect(fixture.store.counters.stored == Int(run.seq))
    }

    @Test func runningInstanceShowsWhatRuns() throws {
        let fixture = try Fixture()
        var run = SyntheticRun(instance: "i-2", workflow: "etl", version: "v1")
        let activities = Self.etl()
        try fixture.feed([run.message("wf.workflow.Created", time: Self.start, fields: [("activities", "4")]),
                          run.message("wf.workflow.Started", time: Self.start)]
                         + activities.map { run.initialized($0, time: Self.start) }
                         + [run.executing(activities[0], time: Self.start), run.closed(activities[0], time: Self.start + 1000),
                            run.executing(activities[1], time: Self.start + 1000), run.executing(activities[2], time: Self.start + 1000)])
        let status = try #require(try fixture.store.instances(InstanceFilter(state: "running"), now: Self.start + 1500)["instances"]?.array?.first)
        #expect(status["state"] == "running" && status["elapsed_ms"] == 1500 && status["finished"] == .null)
        #expect(status["activities_done"] == 1 && status["activities_total"] == 4)
        #expect(status["running"] == ["transform_a", "transform_b"])
        #expect(try fixture.store.instances(InstanceFilter(state: "succeeded"), now: 0)["total"] == 0)
        let detail = try #require(try fixture.store.instance("i-2", now: Self.start + 1500))
        #expect(detail["activities"]?.array?.first { $0["activity"] == "transform_a" }?["elapsed_ms"] == 500)
    }

    @Test func repeatedDeliveriesAreStoredOnce() throws {
        let fixture = try Fixture()
        var run = SyntheticRun(instance: "i-3", workflow: "etl", version: "v1")
        let messages = run.complete(Self.etl(), start: Self.start)
        try fixture.feed(messages)
        try fixture.feed(messages)
        #expect(fixture.store.counters.stored == messages.count)
        #expect(fixture.store.counters.duplicates == messages.count)
        let load = try #require(try fixture.store.activity("load", workflow: nil, version: nil)?["workflows"]?.array?.first)
        #expect(load["all"]?["count"] == 1 && load["all"]?["cpu_seconds_mean"] == .number(0.25))
    }

    @Test func activityStatisticsMatchTheRecordedDurations() throws {
        let fixture = try Fixture()
        try fixture.history()
        let list = try #require(try fixture.store.activities(workflow: "etl")["activities"]?.array)
        #expect(list.map { $0["activity"]?.string ?? "" } == ["extract", "load", "transform_a", "transform_b"])
        let transformB = try #require(list.first { $0["activity"] == "transform_b" })
        // Durations 3000, 3030, 3060, 3090, 3120: p50 3060, p90 and p99 3120.
        #expect(transformB["count"] == 5 && transformB["succeeded"] == 5 && transformB["faulted"] == 0)
        #expect(transformB["p50_ms"] == 3060 && transformB["p90_ms"] == 3120 && transformB["p99_ms"] == 3120)
        #expect(transformB["min_ms"] == 3000 && transformB["max_ms"] == 3120 && transformB["mean_ms"] == .number(3060))
        #expect(transformB["versions"] == 1 && transformB["histogram"] == nil)
        #expect(transformB["peak_rss_bytes_max"] == .integer(1 << 20) && transformB["queued_mean_ms"] == .number(0))

        let detail = try #require(try fixture.store.activity("transform_b", workflow: "etl", version: nil))
        let entry = try #require(detail["workflows"]?.array?.first)
        let buckets = try #require(entry["all"]?["histogram"]?.array)
        // 3000 falls in (2000, 5000]: all five in the bucket with le 5000.
        #expect(buckets.first { $0["le"] == 5000 }?["count"] == 5)
        #expect(entry["versions"]?.array?.count == 1 && entry["versions"]?.array?.first?["version"] == "v1")
        #expect(try fixture.store.activity("nothing", workflow: nil, version: nil) == nil)
        #expect(try fixture.store.activity("load", workflow: "other", version: nil) == nil)
    }

    /// A run that closed extract and runs both transforms: remaining = the longer
    /// transform's median less its elapsed time, plus load's median.
    @Test func etaFollowsTheLongestRemainingPath() throws {
        let fixture = try Fixture()
        try fixture.history()
        var run = SyntheticRun(instance: "live", workflow: "etl", version: "v1")
        let activities = Self.etl()
        let t = Self.start + 3_600_000
        try fixture.feed([run.message("wf.workflow.Created", time: t, fields: [("activities", "4")]),
                          run.message("wf.workflow.Started", time: t)]
                         + activities.map { run.initialized($0, time: t) }
                         + [run.executing(activities[0], time: t), run.closed(activities[0], time: t + 1000),
                            run.executing(activities[1], time: t + 1000), run.executing(activities[2], time: t + 1000)])
        let eta = try #require(try fixture.store.eta("live", now: t + 1800))
        // Medians: transform_a 2040, transform_b 3060, load 520. transform_b has run 800 ms.
        #expect(eta.estimate.remainingMilliseconds == 3060 - 800 + 520)
        #expect(eta.estimate.criticalPath == ["transform_b", "load"])
        #expect(!eta.estimate.usesDefault && !eta.dagFromHistory)
        let json = eta.json
        #expect(json["remaining_ms"] == 2780 && json["elapsed_ms"] == 1800 && json["estimated_total_ms"] == 4580)
        #expect(json["estimated_finish"] == .integer(t + 1800 + 2780))
        let rows = try #require(json["activities"]?.array)
        #expect(rows.first { $0["activity"] == "extract" }?["state"] == "done")
        #expect(rows.first { $0["activity"] == "load" }?["source"] == "version")
        #expect(rows.first { $0["activity"] == "load" }?["samples"] == 5)
        #expect(rows.first { $0["activity"] == "transform_b" }?["elapsed_ms"] == 800)
        #expect(try fixture.store.eta("unknown", now: t) == nil)
    }

    @Test func etaFallsBackToOtherVersionsThenTheDefault() throws {
        let fixture = try Fixture()
        try fixture.history(version: "v1")
        var run = SyntheticRun(instance: "v2-run", workflow: "etl", version: "v2")
        let t = Self.start + 3_600_000
        let activities = Self.etl() + [Activity("publish", needs: ["load"], duration: 1)]
        try fixture.feed([run.message("wf.workflow.Created", time: t, fields: [("activities", "5")])]
                         + activities.map { run.initialized($0, time: t) })
        let eta = try #require(try fixture.store.eta("v2-run", now: t))
        let sources = Dictionary(uniqueKeysWithValues: eta.estimate.rows.map { ($0.activity.name, $0.activity.source) })
        #expect(sources == ["extract": .workflow, "transform_a": .workflow, "transform_b": .workflow, "load": .workflow,
                            "publish": .default])
        #expect(eta.estimate.usesDefault)
        // 1020 + 3060 + 520 + the default 7000.
        #expect(eta.estimate.remainingMilliseconds == 11_600)
    }

    @Test func missingActivitiesComeFromAPastRun() throws {
        let fixture = try Fixture()
        try fixture.history()
        var run = SyntheticRun(instance: "early", workflow: "etl", version: "v1")
        let t = Self.start + 3_600_000
        try fixture.feed([run.message("wf.workflow.Created", time: t, fields: [("activities", "4")]),
                          run.initialized(Self.etl()[0], time: t)])
        let eta = try #require(try fixture.store.eta("early", now: t))
        #expect(eta.dagFromHistory)
        #expect(eta.estimate.rows.count == 4)
        #expect(eta.estimate.remainingMilliseconds == 1020 + 3060 + 520)
    }

    @Test func abortedInstancesResume() throws {
        let fixture = try Fixture()
        var run = SyntheticRun(instance: "r", workflow: "etl", version: "v1")
        try fixture.feed([run.message("wf.workflow.Started", time: Self.start),
                          run.message("wf.workflow.Aborted", time: Self.start + 100, fields: [("reason", "\"SIGINT\"")])])
        var status = try #require(try fixture.store.instance("r", now: Self.start + 200))
        #expect(status["state"] == "aborted" && status["reason"] == "SIGINT" && status["duration_ms"] == 100)
        #expect(try fixture.store.eta("r", now: Self.start + 200)?.estimate.remainingMilliseconds == 0)
        try fixture.feed([run.message("wf.workflow.Loaded", time: Self.start + 5000, fields: [("path", "\"/x\""), ("completed", "[]")])])
        status = try #require(try fixture.store.instance("r", now: Self.start + 5100))
        #expect(status["state"] == "running" && status["finished"] == .null)
    }

    @Test func pairsThatAreNotEventsAreCountedAsRejected() throws {
        let fixture = try Fixture()
        try fixture.store.ingest(Delivery(sequence: 1, publisher: "p", timestamp: 9, pairs: [
            Pair("wf.workflow.Started", "not json"), Pair("wf.workflow.Started", #"{"workflow":"x"}"#),
            Pair("wf.workflow.Started", #"{"instance":"z","seq":1}"#),
        ]), received: 10)
        let counters = fixture.store.counters
        #expect((counters.stored, counters.duplicates, counters.rejected, counters.lastStored) == (1, 0, 2, 10))
        // No `time`: the broker's receive time stands in.
        #expect(try fixture.store.instance("z", now: 20)?["started"] == 9)
    }

    /// Ingestion (the subscriber's task) and queries (the HTTP threads) at once: every
    /// query sees whole transactions, in order. Under `make test-sanitize` it is also
    /// ThreadSanitizer's check that the store's lock is one it can see (with
    /// `Synchronization.Mutex` it reported this as a race).
    @Test func ingestionAndQueriesOnOtherThreadsTakeTurns() throws {
        let fixture = try Fixture()
        let runs = 20
        var deliveries: [Delivery] = []
        for index in 0..<runs {
            var run = SyntheticRun(instance: "i-\(index)", workflow: "etl", version: "v1")
            let messages = run.complete(Self.etl(), start: Self.start + Int64(index) * 60_000)
            deliveries += messages.enumerated().map { offset, message in
                let pairs = message.filter { !$0.concept.hasPrefix("ctx.") }.map { Pair($0.concept, $0.value) }
                return Delivery(sequence: UInt64(deliveries.count + offset + 1), publisher: "urn:test:engine", timestamp: 1, pairs: pairs)
            }
        }
        let store = fixture.store
        let all = deliveries
        let totals = Locked<[Int64]>([])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            do {
                if thread == 0 {
                    for delivery in all { try store.ingest(delivery, received: 2) }
                } else {
                    for _ in 0..<50 {
                        let total = try store.instances(InstanceFilter(), now: Self.start)["total"]?.int64 ?? -1
                        totals.withLock { $0.append(total) }
                        _ = store.counters
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let seen = totals.withLock { $0 }
        #expect(seen.count == 50 && seen.allSatisfy { (0...Int64(runs)).contains($0) } && seen == seen.sorted())
        #expect(try store.instances(InstanceFilter(), now: Self.start)["total"] == .integer(Int64(runs)))
        #expect(store.counters.rejected == 0 && store.counters.duplicates == 0)
    }

    @Test func newerSchemaIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.db").path
        _ = try MonitorStore(path: path)
        let database = try SQLiteDatabase(path: path)
        #expect(try database.userVersion() == MonitorSchema.version)
        try database.setUserVersion(MonitorSchema.version + 1)
        #expect(throws: MonitorError.newerSchema(found: MonitorSchema.version + 1, supported: MonitorSchema.version)) {
            try MonitorStore(path: path)
        }
    }
}
