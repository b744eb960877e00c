import BlackboardProtocol
import BlackboardServer
import BlackboardTestSupport
import Testing

/// The admin port's JSON and Prometheus renderings.
@Suite struct AdminRenderingTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("a\"b", #""a\"b""#),
        ("back\\slash", #""back\\slash""#),
        ("line\nfeed\r\ttab", #""line\nfeed\r\ttab""#),
        ("\u{1}\u{1f}\u{7f}", #""\u0001\u001f\u007f""#),
        ("wf:Ümlaut→", "\"wf:Ümlaut→\""),
    ])
    func jsonStringsAreEscaped(_ text: String, expected: String) {
        #expect(AdminRendering.jsonString(text) == expected)
    }

    private func sample() -> AdminSnapshot {
        var snapshot = AdminSnapshot()
        snapshot.version = "1.2\"x"
        snapshot.connections = 3
        snapshot.stats.messagesIn = 7
        snapshot.stats.deliveries = 14
        snapshot.stats.protocolErrors[.badSyntax] = 2
        return snapshot
    }

    @Test func statsHasEveryFieldAndEveryErrorCode() {
        let json = AdminRendering.statsJSON(sample())
        #expect(json.hasPrefix(#"{"version":"1.2\"x","#))
        #expect(json.contains(#""connections_open":3,"#))
        #expect(json.contains(#""messages_in":7,"#))
        #expect(json.contains(#""deliveries":14,"#))
        #expect(json.contains(#""bad_syntax":2"#))
        for field in sample().fields { #expect(json.contains("\"\(field.key)\":")) }
        for code in ErrorCode.allCases { #expect(json.contains("\"\(code.rawValue)\":")) }
        #expect(json.hasSuffix("}}\n"))
    }

    /// A snapshot with a distinct value in every field, and a failed data directory.
    private func full() -> AdminSnapshot {
        var snapshot = AdminSnapshot()
        snapshot.version = "9.9"
        snapshot.uptimeSeconds = 1
        snapshot.connections = 2
        snapshot.subscribersConnected = 3
        snapshot.subscribersDisconnected = 4
        snapshot.publishersConnected = 5
        snapshot.publishersDisconnected = 6
        snapshot.profileEntries = 7
        snapshot.profileVersion = 8
        snapshot.storage = .init(directory: "/var/lib/blackboard", fsync: "always", journalGeneration: 3,
                                 journalBytes: 4096, failure: "journal fsync: I/O error")
        var stats = BrokerStats()
        (stats.connectionsTotal, stats.connectionsRejected, stats.messagesIn, stats.pairsIn) = (10, 11, 12, 13)
        (stats.bytesIn, stats.bytesOut, stats.deliveries, stats.pairsOut) = (14, 15, 16, 17)
        (stats.pairsFiltered, stats.deliveriesMissed, stats.profilePushes) = (18, 19, 20)
        (stats.slowConsumerDisconnects, stats.staleDisconnects, stats.leasesExpired, stats.leasesResumed) = (21, 22, 23, 24)
        (stats.journalRecords, stats.fsyncs, stats.snapshots, stats.persistenceErrors) = (25, 26, 27, 28)
        (stats.restoredSubscribers, stats.restoredPublishers, stats.handshakeTimeouts) = (29, 30, 32)
        stats.authFailures = 33
        stats.protocolErrors[.storageFailed] = 31
        snapshot.stats = stats
        return snapshot
    }

    @Test func statsOfAKnownSnapshotAreExact() {
        let errors = ErrorCode.allCases.map { "\"\($0.rawValue)\":\($0 == .storageFailed ? 31 : 0)" }.joined(separator: ",")
        let expected = #"{"version":"9.9","uptime_seconds":1,"connections_open":2,"connections_accepted":10,"#
            + #""connections_rejected":11,"subscribers":7,"subscribers_connected":3,"subscribers_disconnected":4,"#
            + #""publishers":11,"publishers_connected":5,"publishers_disconnected":6,"profile_entries":7,"#
            + #""profile_version":8,"messages_in":12,"pairs_in":13,"bytes_in":14,"bytes_out":15,"deliveries":16,"#
            + #""pairs_out":17,"pairs_filtered":18,"deliveries_missed":19,"profile_pushes":20,"#
            + #""slow_consumer_disconnects":21,"stale_disconnects":22,"handshake_timeouts":32,"#
            + #""auth_failures":33,"leases_expired":23,"leases_resumed":24,"#
            + #""persistence_enabled":1,"storage_healthy":0,"journal_records":25,"journal_bytes":4096,"fsyncs":26,"#
            + #""snapshots":27,"persistence_errors":28,"restored_subscribers":29,"restored_publishers":30,"#
            + #""storage":{"persistence":"failed","directory":"/var/lib/blackboard","fsync":"always","#
            + #""journal_generation":3,"error":"journal fsync: I/O error"},"protocol_errors":{"# + errors + "}}\n"
        #expect(AdminRendering.statsJSON(full()) == expected)
    }

    @Test func storageStatesRender() {
        var snapshot = AdminSnapshot()
        #expect(snapshot.persistence == "disabled")
        #expect(AdminRendering.statsJSON(snapshot).contains(
            #""storage":{"persistence":"disabled","directory":null,"fsync":null,"journal_generation":null,"error":null}"#))
        #expect(AdminRendering.statsJSON(snapshot).contains(#""persistence_enabled":0,"storage_healthy":1,"#))
        #expect(AdminRendering.statsJSON(snapshot).contains(#""journal_bytes":0,"#))
        snapshot.storage = .init(directory: "d", fsync: "never", journalGeneration: 1, journalBytes: 9)
        #expect(snapshot.persistence == "enabled")
        #expect(AdminRendering.statsJSON(snapshot).contains(#""persistence_enabled":1,"storage_healthy":1,"#))
        snapshot.storage?.failure = "snapshot: disk full"
        #expect(snapshot.persistence == "failed")
        #expect(AdminRendering.metrics(snapshot).contains("\nblackboard_storage_healthy 0\n"))
    }

    @Test func metricsParseStrictlyWithEveryFieldTyped() throws {
        for snapshot in [sample(), full(), AdminSnapshot()] {
            let text = AdminRendering.metrics(snapshot)
            let families = try PrometheusText.parse(text)
            let byName = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0) })
            #expect(families.count == snapshot.fields.count + 2)
            for field in snapshot.fields {
                let family = try #require(byName[field.metric], "no family \(field.metric)")
                #expect(family.type == field.kind.rawValue && family.help == field.help)
                #expect(family.samples == [MetricSample(name: field.metric, labels: [:], value: Double(field.value))])
                if field.kind == .counter { #expect(field.metric.hasSuffix("_total")) }
            }
            let errors = try #require(byName["blackboard_protocol_errors_total"])
            #expect(errors.type == "counter" && errors.samples.count == ErrorCode.allCases.count)
            #expect(byName["blackboard_info"]?.samples.first?.labels == ["version": snapshot.version])
        }
        let text = AdminRendering.metrics(sample())
        #expect(text.contains(#"blackboard_protocol_errors_total{code="bad_syntax"} 2"#))
        #expect(text.contains(#"blackboard_info{version="1.2\"x"} 1"#))
        #expect(text.contains("blackboard_deliveries_total 14\n"))
    }

    @Test func everyStatsKeyAndMetricIsDistinct() {
        let fields = full().fields
        #expect(Set(fields.map(\.key)).count == fields.count)
        #expect(Set(fields.map(\.metric)).count == fields.count)
        #expect(fields.allSatisfy { !$0.help.isEmpty && $0.help.hasSuffix(".") })
    }
}
