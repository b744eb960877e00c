import BlackboardCore
import Testing

@Suite("Publisher store")
struct PublisherStoreTests {
    @Test func registrationIsIdempotentAndPushesTheAggregate() {
        var board = Blackboard()
        board.subscribe("urn:s", to: [entry("b"), entry("a.>")])
        let first = board.registerPublisher("urn:p2")
        #expect(first.version == 1)
        #expect(first.entries == [entry("a.>"), entry("b")])
        let again = board.registerPublisher("urn:p2")
        #expect(again.version == first.version && again.entries == first.entries)
        _ = board.registerPublisher("urn:p1")
        #expect(board.publisherCount == 2)
        #expect(board.publisherURIs == ["urn:p1", "urn:p2"])
        #expect(board.isPublisher("urn:p1"))
        #expect(!board.isPublisher("urn:s"))
        #expect(board.acknowledgedVersion(of: "urn:p1") == nil)
    }

    @Test func acknowledgementsNeverMoveBackwards() throws {
        var board = Blackboard()
        _ = board.registerPublisher("urn:p")
        board.subscribe("urn:s", to: [entry("a")])
        board.subscribe("urn:s", to: [entry("b")])
        #expect(board.aggregateVersion == 2)
        try board.acknowledge(0, by: "urn:p")
        #expect(board.acknowledgedVersion(of: "urn:p") == 0)
        try board.acknowledge(2, by: "urn:p")
        try board.acknowledge(1, by: "urn:p")
        #expect(board.acknowledgedVersion(of: "urn:p") == 2)
    }

    @Test func acknowledgementErrors() {
        var board = Blackboard()
        board.subscribe("urn:s", to: [entry("a")])
        #expect(throws: AcknowledgeError.notRegistered) { try board.acknowledge(1, by: "urn:p") }
        _ = board.registerPublisher("urn:p")
        #expect(throws: AcknowledgeError.unknownVersion(5, current: 1)) { try board.acknowledge(5, by: "urn:p") }
        #expect(board.acknowledgedVersion(of: "urn:p") == nil)
        #expect(board.unregisterPublisher("urn:p") == true)
        #expect(board.unregisterPublisher("urn:p") == false)
        #expect(throws: AcknowledgeError.notRegistered) { try board.acknowledge(1, by: "urn:p") }
    }

    @Test func publishersBehindAVersion() throws {
        var board = Blackboard()
        for uri in ["urn:c", "urn:a", "urn:b"] { _ = board.registerPublisher(uri) }
        board.subscribe("urn:s", to: [entry("a")])
        board.add([entry("b")], for: "urn:s")
        board.add([entry("c")], for: "urn:s")
        try board.acknowledge(3, by: "urn:a")
        try board.acknowledge(2, by: "urn:b")
        #expect(board.publishers(behind: 3) == ["urn:b", "urn:c"], "urn:c never acknowledged")
        #expect(board.publishers(behind: 2) == ["urn:c"])
        #expect(board.publishers(behind: 0) == ["urn:c"])
        board.unregisterPublisher("urn:c")
        #expect(board.publishers(behind: 2).isEmpty)
        _ = board.registerPublisher("urn:b")
        #expect(board.acknowledgedVersion(of: "urn:b") == 2, "registering again keeps the acknowledgement")
    }
}
