import BlackboardServer
import Testing

/// The listing bodies, exact, for known rows.
@Suite struct AdminListingRenderingTests {
    private let connected = Registration(uri: "urn:a", name: "monitor \"one\"", identity: "alice", address: "127.0.0.1:5000",
                                         presence: .connected(since: 1_700_000_000_000), leaseSeconds: 60,
                                         pendingBytes: 12)
    private let away = Registration(uri: "urn:b", address: "[::1]:6000",
                                    presence: .away(disconnectedAt: 1_700_000_001_000, expiresAt: 1_700_000_061_000),
                                    leaseSeconds: 60)
    private let restored = Registration(uri: "urn:c", address: nil,
                                        presence: .away(disconnectedAt: 1_700_000_002_000, expiresAt: 1_700_000_005_000),
                                        leaseSeconds: 3)

    @Test func subscriberRows() {
        let page = Page(rows: [
            SubscriberRow(connected, profileEntries: 2, deliveries: 5),
            SubscriberRow(away, profileEntries: 1, missed: 7),
        ], total: 3, next: "urn:b")
        let expected = #"{"subscribers":["#
            + #"{"uri":"urn:a","name":"monitor \"one\"","identity":"alice","state":"connected","address":"127.0.0.1:5000","#
            + #""connected_since":1700000000000,"disconnected_at":null,"expires_at":null,"lease_seconds":60,"#
            + #""profile_entries":2,"deliveries":5,"missed":0,"pending_bytes":12},"#
            + #"{"uri":"urn:b","name":null,"identity":null,"state":"away","address":"[::1]:6000","#
            + #""connected_since":null,"disconnected_at":1700000001000,"expires_at":1700000061000,"lease_seconds":60,"#
            + #""profile_entries":1,"deliveries":0,"missed":7,"pending_bytes":0}"#
            + #"],"total":3,"next":"urn:b"}"# + "\n"
        #expect(AdminRendering.subscribersJSON(page) == expected)
    }

    @Test func publisherRows() {
        let page = Page(rows: [
            PublisherRow(connected, messagesPublished: 9, acknowledgedVersion: 4),
            PublisherRow(restored),
        ], total: 2, next: nil)
        let expected = #"{"publishers":["#
            + #"{"uri":"urn:a","name":"monitor \"one\"","identity":"alice","state":"connected","address":"127.0.0.1:5000","#
            + #""connected_since":1700000000000,"disconnected_at":null,"expires_at":null,"lease_seconds":60,"#
            + #""messages_published":9,"acknowledged_version":4,"pending_bytes":12},"#
            + #"{"uri":"urn:c","name":null,"identity":null,"state":"away","address":null,"#
            + #""connected_since":null,"disconnected_at":1700000002000,"expires_at":1700000005000,"lease_seconds":3,"#
            + #""messages_published":0,"acknowledged_version":null,"pending_bytes":0}"#
            + #"],"total":2,"next":null}"# + "\n"
        #expect(AdminRendering.publishersJSON(page) == expected)
    }

    @Test func awayWithoutALeaseRecordRendersNulls() {
        let orphan = Registration(uri: "urn:d", address: nil, presence: .away(disconnectedAt: nil, expiresAt: nil),
                                  leaseSeconds: 0)
        let json = AdminRendering.publishersJSON(Page(rows: [PublisherRow(orphan)], total: 1, next: nil))
        #expect(json.contains(#""state":"away","address":null,"connected_since":null,"disconnected_at":null,"expires_at":null,"#))
    }

    @Test func conceptsAndProfile() {
        let concepts = Page(rows: [ConceptRow(entry: ">", subscribers: 1), ConceptRow(entry: "res.>", subscribers: 2),
                                   ConceptRow(entry: "wf:\"A\"", subscribers: 3)], total: 3, next: nil)
        #expect(AdminRendering.conceptsJSON(concepts) == #"{"concepts":[{"entry":">","subscribers":1},"#
            + #"{"entry":"res.>","subscribers":2},{"entry":"wf:\"A\"","subscribers":3}],"total":3,"next":null}"# + "\n")
        let profile = ProfilePage(version: 12, entries: Page(rows: [">", "res.>"], total: 5, next: "res.>"))
        #expect(AdminRendering.profileJSON(profile)
            == #"{"version":12,"entries":[">","res.>"],"total":5,"next":"res.>"}"# + "\n")
        let empty = ProfilePage(version: 0, entries: Page(rows: [], total: 0, next: nil))
        #expect(AdminRendering.profileJSON(empty) == #"{"version":0,"entries":[],"total":0,"next":null}"# + "\n")
    }
}
