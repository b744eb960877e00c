import BlackboardCore
import Testing

@Suite("Subscription store and aggregate profile")
struct SubscriptionTests {
    @Test func subscribingTheSameProfileAgainChangesNothing() {
        var board = Blackboard()
        let first = board.subscribe("urn:s", to: [entry("b"), entry("a.>"), entry("b")])
        #expect(first.subscriber == SubscriberID(slot: 0))
        #expect(first.delta == ProfileDelta(version: 1, added: [entry("a.>"), entry("b")], removed: []))
        #expect(first.version == 1)
        let again = board.subscribe("urn:s", to: [entry("a.>"), entry("b")])
        #expect(again == ProfileChange(subscriber: SubscriberID(slot: 0), delta: nil, version: 1))
        #expect(board.profile(of: "urn:s") == [entry("a.>"), entry("b")])
    }

    @Test func anEmptyProfileStillMakesASubscriber() {
        var board = Blackboard()
        let change = board.subscribe("urn:s", to: [])
        #expect(change == ProfileChange(subscriber: SubscriberID(slot: 0), delta: nil, version: 0))
        #expect(board.subscriberCount == 1)
        #expect(board.profile(of: "urn:s") == [])
        #expect(board.subscriberURIs == ["urn:s"])
    }

    @Test func replacingAProfileReportsSortedDeltas() {
        var board = Blackboard()
        board.subscribe("urn:s", to: [entry("c"), entry("a"), entry("x.>")])
        let change = board.subscribe("urn:s", to: [entry("x.>"), entry("d"), entry("b")])
        #expect(change.delta == ProfileDelta(version: 2, added: [entry("b"), entry("d")], removed: [entry("a"), entry("c")]))
        #expect(board.aggregate.entries == [entry("b"), entry("d"), entry("x.>")])
    }

    @Test func theUnionCountsReferences() {
        var board = Blackboard()
        board.subscribe("urn:1", to: [entry("a"), entry(">")])
        let second = board.subscribe("urn:2", to: [entry("a"), entry(">")])
        #expect(second.delta == nil, "nothing new joined the union")
        #expect(board.index.subscriberCount(of: entry("a")) == 2)
        #expect(board.unsubscribe("urn:1").delta == nil)
        let last = board.unsubscribe("urn:2")
        #expect(last == ProfileChange(subscriber: nil, delta: ProfileDelta(version: 2, added: [], removed: [entry(">"), entry("a")]), version: 2))
        #expect(board.aggregate.isEmpty)
        #expect(board.index.entryCount == 0)
    }

    @Test func addAndRemoveAreIncremental() {
        var board = Blackboard()
        let added = board.add([entry("a"), entry("b")], for: "urn:s")
        #expect(added.subscriber == SubscriberID(slot: 0))
        #expect(added.delta?.added == [entry("a"), entry("b")])
        #expect(board.add([entry("a")], for: "urn:s").delta == nil)
        let removed = board.remove([entry("a"), entry("zzz")], for: "urn:s")
        #expect(removed.delta == ProfileDelta(version: 2, added: [], removed: [entry("a")]))
        #expect(board.remove([entry("a")], for: "urn:s").delta == nil)
        #expect(board.remove([entry("b")], for: "urn:s").delta?.removed == [entry("b")])
        #expect(board.profile(of: "urn:s") == [], "the subscriber stays with an empty profile")
        #expect(board.subscriberCount == 1)
    }

    @Test func unknownSubscribersAreNotCreatedByRemoveOrUnsubscribe() {
        var board = Blackboard()
        board.subscribe("urn:s", to: [entry("a")])
        #expect(board.remove([entry("a")], for: "urn:x") == ProfileChange(subscriber: nil, delta: nil, version: 1))
        #expect(board.unsubscribe("urn:x") == ProfileChange(subscriber: nil, delta: nil, version: 1))
        #expect(board.subscriberCount == 1)
        #expect(board.profile(of: "urn:x") == nil)
    }

    @Test func slotsAreDenseAndReused() {
        var board = Blackboard()
        for number in 0..<4 { board.subscribe("urn:\(number)", to: [entry("c\(number)")]) }
        #expect((0..<4).map { board.subscriberID(of: "urn:\($0)")?.slot } == [0, 1, 2, 3])
        board.unsubscribe("urn:1")
        #expect(board.subscriberID(of: "urn:1") == nil)
        #expect(board.uri(of: SubscriberID(slot: 1)) == nil)
        #expect(board.subscribe("urn:new", to: []).subscriber == SubscriberID(slot: 1))
        #expect(board.uri(of: SubscriberID(slot: 1)) == "urn:new")
        #expect(board.uri(of: SubscriberID(slot: 99)) == nil)
        #expect(board.subscribe("urn:next", to: []).subscriber == SubscriberID(slot: 4))
    }
}
