import BlackboardTestSupport
import Foundation
import Testing

/// The admin port's listings, persistence and lease fields, against the real
/// daemon in a known state set up with raw clients.
@Suite struct AdminListingTests {
    /// A URI that needs percent-encoding as a query value.
    static let oddURI = "urn:test:q&a=1+2%"

    /// The state the tests start from (every URI sorts in this order):
    /// - `urn:test:away`: subscriber to `wf:A` and `res.>`, lease 60 s, quit: away;
    /// - `urn:test:gone-pub`: publisher, lease 45 s, quit: away;
    /// - `urn:test:live`: subscriber to `wf:A`, named `live`, no lease, connected;
    /// - `urn:test:pub`: publisher, lease 30 s, connected, acknowledged the profile,
    ///   published `wf:A=x` once (delivered to `live` and the odd one, missed by `away`);
    /// - ``oddURI``: subscriber to `wf:B` and `>`, no lease, connected.
    final class KnownState {
        let daemon: Daemon
        let dataDirectory: String
        let live: RawClient, odd: RawClient, publisher: RawClient
        /// The aggregate profile's version once everyone subscribed.
        let version: UInt64

        init(_ extraArguments: [String] = []) throws {
            dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-admin-\(UUID())").path
            daemon = try Daemon.start(["--data-dir", dataDirectory] + extraArguments)
            let port = daemon.port
            let away = try RawClient.hello(port, "urn:test:away", options: "lease=60")
            try away.subscribe(["wf:A", "res.>"])
            try away.send("QUIT\r\n")
            _ = try away.closedReplies()
            live = try RawClient.hello(port, "urn:test:live", options: "name=live")
            try live.subscribe(["wf:A"])
            odd = try RawClient.hello(port, AdminListingTests.oddURI)
            version = try odd.subscribe(["wf:B", ">"])
            publisher = try RawClient.hello(port, "urn:test:pub", options: "lease=30")
            try publisher.send("REG\r\n")
            _ = try publisher.readReply(until: { if case .profile = $0 { true } else { false } })
            try publisher.send("ACK \(version)\r\n" + pub(("wf:A", "x")))
            try publisher.barrier()
            _ = try live.nextDelivery()
            _ = try odd.nextDelivery()
            let gone = try RawClient.hello(port, "urn:test:gone-pub", options: "lease=45")
            try gone.send("REG\r\n")
            _ = try gone.readReply(until: { if case .profile = $0 { true } else { false } })
            try gone.send("QUIT\r\n")
            _ = try gone.closedReplies()
        }

        var adminPort: UInt16 { daemon.adminPort }

        deinit { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }

    /// The rows of a listing by URI.
    private func rows(_ port: UInt16, _ path: String) throws -> [String: [String: Any]] {
        let page = try AdminHTTP.object(port, path)
        let rows = try #require(page[String(path.dropFirst())] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["uri"] as? String ?? "?", $0) })
    }

    @Test func statsCountTheKnownState() throws {
        let state = try KnownState()
        let stats = try AdminHTTP.stats(state.adminPort)
        let expected: [String: Int64] = [
            "subscribers": 3, "subscribers_connected": 2, "subscribers_disconnected": 1,
            "publishers": 2, "publishers_connected": 1, "publishers_disconnected": 1,
            "connections_open": 3, "profile_entries": 4, "profile_version": Int64(state.version),
            "messages_in": 1, "deliveries": 2, "deliveries_missed": 1,
            // SUB and disconnect of away, REG of pub, REG and disconnect of gone-pub.
            "journal_records": 5, "snapshots": 0, "persistence_errors": 0,
            "restored_subscribers": 0, "restored_publishers": 0, "leases_expired": 0, "leases_resumed": 0,
            "persistence_enabled": 1, "storage_healthy": 1,
        ]
        for (key, value) in expected { #expect(stats[key] == value, "\(key)") }
        let journal = try FileManager.default.attributesOfItem(atPath: state.dataDirectory + "/blackboard.journal")
        #expect(stats["journal_bytes"] == (journal[.size] as? NSNumber)?.int64Value)
        #expect((1...5).contains(stats["fsyncs"] ?? 0))
        let storage = try #require(try AdminHTTP.object(state.adminPort, "/stats")["storage"] as? [String: Any])
        #expect(storage["persistence"] as? String == "enabled")
        #expect(storage["directory"] as? String == state.dataDirectory)
        #expect(storage["fsync"] as? String == "always")
        #expect(storage["journal_generation"] as? Int == 1)
        #expect(storage["error"] is NSNull)
        #expect(try AdminHTTP.get(state.adminPort, "/healthz").body == "{\"status\":\"ok\"}\n")
    }

    @Test func subscribersAndPublishersListEveryRegistration() throws {
        let state = try KnownState()
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let subscribers = try rows(state.adminPort, "/subscribers")
        #expect(subscribers.keys.sorted() == ["urn:test:away", "urn:test:live", Self.oddURI])
        let away = try #require(subscribers["urn:test:away"])
        #expect(away["state"] as? String == "away" && away["connected_since"] is NSNull)
        #expect((away["address"] as? String)?.hasPrefix("127.0.0.1:") == true)
        let disconnectedAt = try #require(away["disconnected_at"] as? Int64)
        #expect(disconnectedAt <= before && away["expires_at"] as? Int64 == disconnectedAt + 60_000)
        #expect(away["lease_seconds"] as? Int == 60 && away["profile_entries"] as? Int == 2)
        #expect(away["deliveries"] as? Int == 0 && away["missed"] as? Int == 1 && away["pending_bytes"] as? Int == 0)
        let live = try #require(subscribers["urn:test:live"])
        #expect(live["state"] as? String == "connected" && live["name"] as? String == "live")
        #expect((live["connected_since"] as? Int64).map { $0 <= before } == true)
        #expect(live["disconnected_at"] is NSNull && live["expires_at"] is NSNull && live["lease_seconds"] as? Int == 0)
        #expect(live["profile_entries"] as? Int == 1 && live["deliveries"] as? Int == 1 && live["missed"] as? Int == 0)
        #expect(subscribers[Self.oddURI]?["profile_entries"] as? Int == 2)

        let publishers = try rows(state.adminPort, "/publishers")
        #expect(publishers.keys.sorted() == ["urn:test:gone-pub", "urn:test:pub"])
        let connected = try #require(publishers["urn:test:pub"])
        #expect(connected["state"] as? String == "connected" && connected["lease_seconds"] as? Int == 30)
        #expect(connected["messages_published"] as? Int == 1)
        #expect(connected["acknowledged_version"] as? Int == Int(state.version))
        let gone = try #require(publishers["urn:test:gone-pub"])
        #expect(gone["state"] as? String == "away" && gone["lease_seconds"] as? Int == 45)
        #expect(gone["acknowledged_version"] is NSNull && gone["messages_published"] as? Int == 0)
        #expect((gone["expires_at"] as? Int64).map { $0 > before } == true)
    }

    @Test func conceptsAndProfileAreExact() throws {
        let state = try KnownState()
        #expect(try AdminHTTP.get(state.adminPort, "/concepts").body == #"{"concepts":[{"entry":">","subscribers":1},"#
            + #"{"entry":"res.>","subscribers":1},{"entry":"wf:A","subscribers":2},{"entry":"wf:B","subscribers":1}],"#
            + #""total":4,"next":null}"# + "\n")
        #expect(try AdminHTTP.get(state.adminPort, "/profile").body
            == #"{"version":\#(state.version),"entries":[">","res.>","wf:A","wf:B"],"total":4,"next":null}"# + "\n")
    }

    @Test func limitOneWalksEveryPage() throws {
        let state = try KnownState()
        for (path, rowsKey) in [("/subscribers", "subscribers"), ("/publishers", "publishers"),
                                ("/concepts", "concepts"), ("/profile", "entries")] {
            let whole = try #require(try AdminHTTP.object(state.adminPort, path)[rowsKey] as? [Any])
            let walked = try AdminHTTP.walk(state.adminPort, path, rowsKey: rowsKey, limit: 1)
            #expect(walked.pages == whole.count && walked.totals == [whole.count], "\(path)")
            #expect(NSArray(array: walked.rows) == NSArray(array: whole), "\(path)")
            let pairs = try AdminHTTP.walk(state.adminPort, path, rowsKey: rowsKey, limit: 2)
            #expect(pairs.pages == (whole.count + 1) / 2, "\(path)")
            #expect(NSArray(array: pairs.rows) == NSArray(array: whole), "\(path)")
        }
    }

    @Test func theCursorIsPercentDecoded() throws {
        let state = try KnownState()
        let after = AdminHTTP.percentEncoded("urn:test:live")
        let page = try AdminHTTP.object(state.adminPort, "/subscribers?limit=1&after=\(after)")
        let rows = try #require(page["subscribers"] as? [[String: Any]])
        #expect(rows.map { $0["uri"] as? String } == [Self.oddURI] && page["next"] is NSNull)
        let past = try AdminHTTP.object(state.adminPort, "/subscribers?after=\(AdminHTTP.percentEncoded(Self.oddURI))")
        #expect((past["subscribers"] as? [Any])?.isEmpty == true && past["total"] as? Int == 3)
    }

    @Test func badQueriesAre400() throws {
        let daemon = try Daemon.start()
        for target in ["/subscribers?limit=0", "/publishers?limit=1001", "/concepts?limit=many", "/profile?after=%zz",
                       "/subscribers?offset=3", "/publishers?limit=1&limit=2", "/concepts?after=%ff"] {
            let answer = try AdminHTTP.get(daemon.adminPort, target)
            #expect(answer.status == 400 && answer.head.contains("Content-Type: application/json"), "\(target)")
            #expect((try answer.object()["error"] as? String)?.isEmpty == false, "\(target)")
        }
        let head = try AdminHTTP.exchange(daemon.adminPort, "HEAD /subscribers?limit=5 HTTP/1.1\r\n\r\n")
        #expect(head.status == 200 && head.body.isEmpty && head.head.contains("Content-Length: "))
        #expect(try AdminHTTP.get(daemon.adminPort, "/healthz").status == 200)
        #expect(try daemon.stop() == 0)
    }
}
