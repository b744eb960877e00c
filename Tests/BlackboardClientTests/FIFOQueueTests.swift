@testable import BlackboardClient
import Testing

@Suite struct FIFOQueueTests {
    @Test func popsInAppendOrderAcrossCompactions() {
        var queue = FIFOQueue<Int>()
        var expected = 0
        for round in 0..<10 {
            for value in 0..<100 { queue.append(round * 100 + value) }
            for _ in 0..<70 {
                #expect(queue.popFirst() == expected)
                expected += 1
            }
        }
        #expect(queue.count == 300)
        while let value = queue.popFirst() {
            #expect(value == expected)
            expected += 1
        }
        #expect(queue.isEmpty && expected == 1000)
    }

    @Test func prependPutsElementsInFront() {
        var queue = FIFOQueue<String>()
        queue.append("a")
        queue.append("b")
        _ = queue.popFirst()
        queue.prepend(contentsOf: ["x", "y"])
        #expect(queue.removeAll() == ["x", "y", "b"])
        #expect(queue.isEmpty && queue.popFirst() == nil)
    }
}
