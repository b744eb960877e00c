import BlackboardCore
import Testing

@Suite("Separation")
struct SeparationTests {
    @Test func theProtocolExample() {
        var board = Blackboard()
        let subscriber = board.subscribe("urn:demo:sub", to: [entry("wf:ActivityExecuting"), entry("res.>")]).subscriber!
        let result = board.separate(TestMessage(["wf:ActivityExecuting", "res.cpu", "wf:Ignored"]))
        #expect(result.deliveries == [Delivery(subscriber: subscriber, pairs: [0, 1])])
        #expect(result.filtered == 1)
    }

    @Test func eachPairAtMostOnceEvenWhenSeveralEntriesMatch() {
        var board = Blackboard()
        let subscriber = board.subscribe("urn:s", to: [entry("a.b.c"), entry("a.>"), entry("a.b.>"), entry(">")]).subscriber!
        let result = board.separate(TestMessage(["a.b.c", "a.b.c", "x", "a.b"]))
        #expect(result.deliveries == [Delivery(subscriber: subscriber, pairs: [0, 1, 2, 3])])
        #expect(result.filtered == 0)
    }

    @Test func subscribersMatchingNothingGetNothing() {
        var board = Blackboard()
        let wanted = board.subscribe("urn:wants-a", to: [entry("a")]).subscriber!
        board.subscribe("urn:wants-b", to: [entry("b")])
        board.subscribe("urn:wants-nothing", to: [])
        let result = board.separate(TestMessage(["a", "c", "a"]))
        #expect(result.deliveries == [Delivery(subscriber: wanted, pairs: [0, 2])])
        #expect(result.filtered == 1)
    }

    @Test func anEmptyMessageDeliversNothing() {
        var board = Blackboard()
        board.subscribe("urn:s", to: [entry(">")])
        let result = board.separate(TestMessage([]))
        #expect(result.deliveries.isEmpty && result.filtered == 0)
        var empty = Blackboard()
        #expect(empty.separate(TestMessage(["a"])).filtered == 1)
    }

    @Test func deliversInFirstMatchOrder() {
        var board = Blackboard()
        let wantsY = board.subscribe("urn:y", to: [entry("y")]).subscriber!
        let wantsX = board.subscribe("urn:x", to: [entry("x")]).subscriber!
        let result = board.separate(TestMessage(["x", "y", "x"]))
        #expect(result.deliveries == [Delivery(subscriber: wantsX, pairs: [0, 2]), Delivery(subscriber: wantsY, pairs: [1])])
    }

    @Test func scratchIsResetBetweenMessages() {
        var board = Blackboard()
        let subscriber = board.subscribe("urn:s", to: [entry("a.>")]).subscriber!
        let message = TestMessage(["a.b", "q", "a.c"])
        let first = board.separate(message)
        #expect(board.separate(message) == first)
        #expect(board.separate(TestMessage(["a.z"])).deliveries == [Delivery(subscriber: subscriber, pairs: [0])])
        board.unsubscribe("urn:s")
        #expect(board.separate(message).deliveries.isEmpty)
    }

    /// More than 2^20 hits makes separation give its per-message capacity back;
    /// the next message must still be separated correctly.
    @Test func aHugeMessageThenASmallOne() {
        var board = Blackboard()
        for number in 0..<1100 { board.subscribe("urn:\(number)", to: [entry(">")]) }
        let huge = board.separate(TestMessage((0..<1000).map { "c\($0)" }))
        #expect(huge.deliveries.count == 1100)
        #expect(huge.deliveries.allSatisfy { $0.pairs == Array(0..<1000) })
        let small = board.separate(TestMessage(["x", "y"]))
        #expect(small.deliveries.count == 1100)
        #expect(small.deliveries.allSatisfy { $0.pairs == [0, 1] })
    }
}
