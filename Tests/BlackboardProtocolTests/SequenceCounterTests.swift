import BlackboardProtocol
import Testing

/// The odometer behind `MSG` sequence numbers spells every value as decimal does.
@Suite("SequenceCounter")
struct SequenceCounterTests {
    private func spelled(_ counter: SequenceCounter) -> String {
        var bytes = [UInt8](repeating: 0, count: 24)
        let count = bytes.withUnsafeMutableBytes { counter.write(into: $0.baseAddress!) }
        return String(decoding: bytes.prefix(count), as: UTF8.self)
    }

    @Test func countsLikeDecimal() {
        var counter = SequenceCounter()
        #expect(spelled(counter) == "0")
        for value in 1...123_456 as ClosedRange<UInt64> {
            counter.increment()
            if value % 997 == 0 || [9, 10, 99, 100, 999, 1000, 9999, 10_000, 99_999, 100_000].contains(value) {
                #expect(counter.value == value)
                #expect(spelled(counter) == String(value))
            }
        }
        #expect(spelled(counter) == "123456")
    }

    @Test func theMessageHeadUsesTheSpelling() {
        var counter = SequenceCounter()
        for _ in 0..<1_000 { counter.increment() }
        var bytes = [UInt8](repeating: 0, count: MessageFrame.maxHeadSize)
        let count = bytes.withUnsafeMutableBytes { MessageFrame.encodeHead(sequence: counter, into: $0.baseAddress!) }
        #expect(String(decoding: bytes.prefix(count), as: UTF8.self) == "MSG 1000")
    }
}
