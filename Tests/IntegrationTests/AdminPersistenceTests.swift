import Foundation
import Testing

/// What the admin port says about leases and the data directory as they change:
/// a resume, an expiry, a restart, a storage failure.
@Suite struct AdminPersistenceTests {
    typealias KnownState = AdminListingTests.KnownState

    private func row(_ port: UInt16, _ path: String, _ uri: String) throws -> [String: Any]? {
        let page = try AdminHTTP.object(port, path)
        return (page[String(path.dropFirst())] as? [[String: Any]])?.first { $0["uri"] as? String == uri }
    }

    @Test func aResumedSubscriberIsConnectedAgain() throws {
        let state = try KnownState()
        let back = try RawClient(port: state.daemon.port)
        try back.send("HELLO urn:test:away lease=60\r\n")
        guard case let .ok("HELLO", fields) = try back.readReply() else { throw TestFailure("HELLO refused") }
        #expect(fields.contains("resumed=sub"))
        let stats = try AdminHTTP.stats(state.adminPort)
        #expect(stats["leases_resumed"] == 1 && stats["subscribers_connected"] == 3 && stats["subscribers_disconnected"] == 0)
        let resumed = try #require(try row(state.adminPort, "/subscribers", "urn:test:away"))
        #expect(resumed["state"] as? String == "connected" && resumed["missed"] as? Int == 0)
        #expect(resumed["disconnected_at"] is NSNull && resumed["profile_entries"] as? Int == 2)
    }

    @Test func anExpiredLeaseLeavesTheListings() throws {
        let daemon = try Daemon.start()
        let brief = try RawClient.hello(daemon.port, "urn:test:brief", options: "lease=1")
        try brief.subscribe(["wf:Brief"])
        try brief.send("QUIT\r\n")
        _ = try brief.closedReplies()
        #expect(try row(daemon.adminPort, "/subscribers", "urn:test:brief")?["state"] as? String == "away")
        try waitUntil("the lease to run out") { try AdminHTTP.stats(daemon.adminPort)["leases_expired"] == 1 }
        let stats = try AdminHTTP.stats(daemon.adminPort)
        #expect(stats["subscribers"] == 0 && stats["subscribers_disconnected"] == 0 && stats["profile_entries"] == 0)
        #expect(try AdminHTTP.get(daemon.adminPort, "/subscribers").body == #"{"subscribers":[],"total":0,"next":null}"# + "\n")
        #expect(try AdminHTTP.get(daemon.adminPort, "/concepts").body == #"{"concepts":[],"total":0,"next":null}"# + "\n")
        #expect(try daemon.stop() == 0)
    }

    @Test func aRestartRestoresRegistrationsAway() throws {
        let state = try KnownState()
        #expect(try state.daemon.stop() == 0)
        let restarted = try Daemon.start(["--data-dir", state.dataDirectory])
        let stats = try AdminHTTP.stats(restarted.adminPort)
        #expect(stats["restored_subscribers"] == 1 && stats["restored_publishers"] == 2)
        #expect(stats["subscribers"] == 1 && stats["subscribers_disconnected"] == 1)
        #expect(stats["publishers"] == 2 && stats["publishers_disconnected"] == 2 && stats["publishers_connected"] == 0)
        let away = try #require(try row(restarted.adminPort, "/subscribers", "urn:test:away"))
        #expect(away["state"] as? String == "away" && away["address"] is NSNull && away["lease_seconds"] as? Int == 60)
        // Connected when the broker stopped: its lease runs from the restart.
        let publisher = try #require(try row(restarted.adminPort, "/publishers", "urn:test:pub"))
        #expect(publisher["state"] as? String == "away" && publisher["address"] is NSNull)
        let storage = try #require(try AdminHTTP.object(restarted.adminPort, "/stats")["storage"] as? [String: Any])
        // The shutdown snapshot started generation 2; opening writes none.
        #expect(storage["journal_generation"] as? Int == 2 && stats["snapshots"] == 0)
        #expect(try restarted.stop() == 0)
    }

    /// The data directory is removed under the running daemon: appends still go to
    /// the open journal, but the snapshot past the threshold cannot be written.
    @Test func aStorageFailureTurnsHealthz503() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-fail-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("blackboard.conf")
        try "[storage]\nsnapshot_threshold_bytes = 4096\n".write(to: config, atomically: true, encoding: .utf8)
        let data = directory.appendingPathComponent("data").path
        let daemon = try Daemon.start(["--config", config.path, "--data-dir", data])
        try FileManager.default.removeItem(atPath: data)
        let client = try RawClient.hello(daemon.port, "urn:test:big", options: "lease=60")
        try client.subscribe((0..<300).map { "wf:concept-\($0)" })
        let health = try AdminHTTP.get(daemon.adminPort, "/healthz")
        #expect(health.status == 503)
        let body = try health.object()
        #expect(body["status"] as? String == "storage_failed" && (body["error"] as? String)?.contains("snapshot") == true)
        let stats = try AdminHTTP.stats(daemon.adminPort)
        #expect(stats["storage_healthy"] == 0 && stats["persistence_errors"] == 1 && stats["persistence_enabled"] == 1)
        let storage = try #require(try AdminHTTP.object(daemon.adminPort, "/stats")["storage"] as? [String: Any])
        #expect(storage["persistence"] as? String == "failed" && storage["error"] as? String == body["error"] as? String)
        let metrics = try AdminHTTP.get(daemon.adminPort, "/metrics").body
        #expect(metrics.contains("\nblackboard_storage_healthy 0\n"))
        daemon.kill()
    }
}
