import Testing
@testable import BlackboardWorkflow

/// The exact bytes of event, resource and user messages, and the JSON writer under them.
@Suite struct EventEncodingTests {
    static let workflowContext = EventContext(
        instance: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", workflow: "clean-data", version: "0123456789abcdef",
        seq: 1, timeMs: 1_700_000_000_000, host: "lab1"
    )
    static var activityContext: EventContext {
        var context = workflowContext
        (context.activity, context.attempt, context.seq, context.timeMs) = ("fetch", 2, 9, 1_700_000_000_250)
        return context
    }

    static let workflowHead =
        #"{"instance":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","workflow":"clean-data","version":"0123456789abcdef","seq":1,"time":1700000000000,"host":"lab1""#
    static let activityHead =
        #"{"instance":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","workflow":"clean-data","version":"0123456789abcdef","activity":"fetch","attempt":2,"seq":9,"time":1700000000250,"host":"lab1""#

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test(arguments: [
        (EngineEvent.workflowStarted, #"}"#),
        (.workflowCreated(activities: 3, params: ["rows": "1000", "mode": "fast"]), #","activities":3,"params":{"mode":"fast","rows":"1000"}}"#),
        (.workflowChanged(DefinitionDiff(previousVersion: "fedcba9876543210", added: ["report"], removed: [], modified: ["a", "b"])),
         #","previous_version":"fedcba9876543210","added":["report"],"removed":[],"modified":["a","b"]}"#),
        (.workflowCompleted(WorkflowCompletion(result: .failed, durationMs: 1234, succeeded: 2, failed: 1, skipped: 1, canceled: 0)),
         #","result":"Failed","duration_ms":1234,"succeeded":2,"failed":1,"skipped":1,"canceled":0}"#),
        (.workflowAborted(reason: "SIGINT"), #","reason":"SIGINT"}"#),
        (.workflowLoaded(path: "/var/lib/bb/i.json", completed: ["fetch"]), #","path":"/var/lib/bb/i.json","completed":["fetch"]}"#),
    ])
    func workflowEventsHaveTheirExactBytes(event: EngineEvent, tail: String) {
        let pairs = EventEncoding.pairs(event, context: Self.workflowContext)
        #expect(pairs[0].concept == event.kind.concept)
        #expect(text(pairs[0].value) == Self.workflowHead + tail)
        #expect(pairs.dropFirst().map(\.concept) == ["ctx.instance", "ctx.workflow", "ctx.version", "ctx.seq", "ctx.time", "ctx.host"])
        #expect(pairs.dropFirst().map { text($0.value) }
            == ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "clean-data", "0123456789abcdef", "1", "1700000000000", "lab1"])
    }

    @Test(arguments: [
        (EngineEvent.activityInitialized(type: .run, needs: ["a", "b"]), #","type":"run","needs":["a","b"]}"#),
        (.activityExecuting(queuedMs: 12, pid: 4242), #","queued_ms":12,"pid":4242}"#),
        (.activityExecuting(queuedMs: 0, pid: nil), #","queued_ms":0,"pid":null}"#),
        (.activityCanceling(reason: .timeout), #","reason":"timeout"}"#),
        (.activityFaulting(ActivityFault(exitCode: 3, signal: nil, error: "exited with code 3", retryInMs: 500)),
         #","exit_code":3,"signal":null,"error":"exited with code 3","will_retry":true,"retry_in_ms":500}"#),
        (.activityFaulting(ActivityFault(exitCode: nil, signal: 9, error: "killed by signal 9", retryInMs: nil)),
         #","exit_code":null,"signal":9,"error":"killed by signal 9","will_retry":false,"retry_in_ms":null}"#),
        (.activityClosed(ActivityClosing(result: .succeeded, exitCode: 0, durationMs: 812, queuedMs: 3, attempts: 2, log: "logs/fetch.log")),
         #","result":"Succeeded","exit_code":0,"duration_ms":812,"queued_ms":3,"attempts":2,"log":"logs/fetch.log"}"#),
        (.activityCompensating, "}"),
    ])
    func activityEventsHaveTheirExactBytes(event: EngineEvent, tail: String) {
        let pairs = EventEncoding.pairs(event, context: Self.activityContext)
        #expect(pairs[0].concept == event.kind.concept)
        #expect(text(pairs[0].value) == Self.activityHead + tail)
        #expect(pairs.dropFirst().map(\.concept)
            == ["ctx.instance", "ctx.workflow", "ctx.version", "ctx.activity", "ctx.attempt", "ctx.seq", "ctx.time", "ctx.host"])
        #expect(text(pairs[4].value) == "fetch" && text(pairs[5].value) == "2")
    }

    @Test func everyKindHasADistinctConceptInItsBranch() {
        let concepts = EventKind.allCases.map(\.concept)
        #expect(Set(concepts).count == 19)
        #expect(EventKind.allCases.filter(\.isActivityEvent).count == 6)
        #expect(concepts.allSatisfy { $0.hasPrefix("wf.workflow.") || $0.hasPrefix("wf.activity.") })
        #expect(EventKind(rawValue: "wf.activity.Closed") == .activityClosed)
    }

    @Test func closingAndFaultComeFromTheActivityState() {
        var state = ActivityState(name: "fetch")
        state.enqueue(now: 100)
        state.begin(now: 110, logPath: "logs/fetch.1.log")
        state.finish(.timedOut(afterMs: 30_000, signal: 15), now: 30_110)
        #expect(ActivityFault(state, retryInMs: nil)
            == ActivityFault(exitCode: nil, signal: 15, error: "timed out after 30s", retryInMs: nil))
        #expect(ActivityClosing(state)
            == ActivityClosing(result: .faulted, exitCode: nil, durationMs: 30_000, queuedMs: 10, attempts: 1, log: "logs/fetch.1.log"))
        var skipped = ActivityState(name: "s")
        skipped.skip(now: 5)
        #expect(ActivityClosing(skipped)
            == ActivityClosing(result: .skipped, exitCode: nil, durationMs: nil, queuedMs: nil, attempts: 0, log: nil))
    }

    @Test func aResourceSampleHasOnePairPerPresentAndWantedPart() {
        let sample = ResourceSample(
            phase: .during, cpu: .init(userSeconds: 1.25, systemSeconds: 0.000001, percent: 99.5),
            memory: .init(rssBytes: 1_048_576, peakRSSBytes: 2_097_152), io: nil,
            disk: .init(path: "/srv/run", freeBytes: 10, totalBytes: 20)
        )
        let pairs = EventEncoding.pairs(sample, context: Self.activityContext) { $0 != "res.disk" }
        #expect(pairs.map(\.concept).prefix(2) == ["res.cpu", "res.memory"])
        #expect(pairs.count == 2 + 8)
        #expect(text(pairs[0].value) == Self.activityHead + #","phase":"During","user_seconds":1.25,"system_seconds":0.000001,"percent":99.5}"#)
        #expect(text(pairs[1].value) == Self.activityHead + #","phase":"During","rss_bytes":1048576,"peak_rss_bytes":2097152}"#)
        let disk = EventEncoding.pairs(sample, context: Self.activityContext) { $0 == "res.disk" || $0 == "res.io" }
        #expect(text(disk[0].value) == Self.activityHead + #","phase":"During","path":"/srv/run","free_bytes":10,"total_bytes":20}"#)
        #expect(EventEncoding.pairs(sample, context: Self.activityContext) { $0 == "res.io" }.isEmpty, "io absent: nothing at all")
    }

    @Test func userEventsAreTheirPairsThenTheContext() {
        let user: [EventEncoding.ConceptValue] = [("user.rows_cleaned", Array("1234".utf8)), ("user.note", Array("ok".utf8))]
        let pairs = EventEncoding.pairs(user: user, context: Self.activityContext)
        #expect(pairs.map(\.concept).prefix(3) == ["user.rows_cleaned", "user.note", "ctx.instance"])
        #expect(EventEncoding.pairs(user: [], context: Self.activityContext).isEmpty)
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("quote \" and \\ back", #""quote \" and \\ back""#),
        ("lines\n\r\t\u{08}\u{0C}", #""lines\n\r\t\b\f""#), ("\u{00}\u{1F}\u{7F}", #""\u0000\u001f\#u{7F}""#),
        ("héllo ✓ 🚀", "\"héllo ✓ 🚀\""), ("</script>", #""</script>""#),
    ])
    func stringsAreEscaped(input: String, expected: String) {
        #expect(text(JSONValue.string(input).rendered()) == expected)
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (3.0, "3"), (12.5, "12.5"), (0.1, "0.1"), (1e-6, "0.000001"), (1e-7, "0"),
        (-2.25, "-2.25"), (1e15, "1000000000000000"), (123456.9999999, "123457"), (Double.nan, "null"),
        (Double.infinity, "null"), (1e19, "null"), (-0.0000004, "0"),
    ])
    func numbersAreWrittenWithoutExponents(value: Double, expected: String) {
        #expect(JSONValue.decimal(value) == expected)
    }

    @Test func integersAndNestingAreCompact() {
        let value = JSONValue.object([("a", .int(Int64.min)), ("b", .array([.null, .bool(true), .object([])])), ("c", .int(nil as Int?))])
        #expect(text(value.rendered()) == #"{"a":-9223372036854775808,"b":[null,true,{}],"c":null}"#)
    }
}
