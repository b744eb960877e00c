@testable import BlackboardServer
import Testing

/// A session's output buffer: what goes in comes out, in order, across
/// partial writes, compaction, growth and release.
@Suite("OutputBuffer")
struct OutputBufferTests {
    private func pending(_ buffer: borrowing OutputBuffer) -> [UInt8] {
        buffer.withPending { Array($0) }
    }

    private func append(_ bytes: [UInt8], to buffer: inout OutputBuffer) {
        bytes.withUnsafeBytes { buffer.append($0) }
    }

    @Test func anIdleBufferHoldsNoMemory() {
        let buffer = OutputBuffer()
        #expect(buffer.capacity == 0 && buffer.pending == 0)
        #expect(pending(buffer).isEmpty)
    }

    @Test func bytesComeOutInOrderAcrossPartialWrites() {
        var buffer = OutputBuffer()
        var expected: [UInt8] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2_000 {
            let chunk = (0..<Int.random(in: 0...700, using: &generator)).map { UInt8(truncatingIfNeeded: $0 &+ round) }
            append(chunk, to: &buffer)
            expected += chunk
            // Take a random part, as a socket would.
            let taken = Int.random(in: 0...buffer.pending, using: &generator)
            #expect(Array(pending(buffer).prefix(taken)) == Array(expected.prefix(taken)))
            buffer.consume(taken)
            expected.removeFirst(taken)
            #expect(buffer.pending == expected.count)
        }
        #expect(pending(buffer) == expected)
    }

    @Test func reservedRoomIsUsedOnlyAsFarAsWritten() {
        var buffer = OutputBuffer()
        buffer.append(maximum: 100) { out in
            for index in 0..<3 { out.storeBytes(of: UInt8(ascii: "a") + UInt8(index), toByteOffset: index, as: UInt8.self) }
            return 3
        }
        #expect(pending(buffer) == Array("abc".utf8))
    }

    @Test func aDrainedBufferKeepsOnlyMidSizedStorage() {
        var buffer = OutputBuffer()
        append([1, 2, 3], to: &buffer)
        buffer.consume(3)
        #expect(buffer.pending == 0 && buffer.capacity == 0)
        append([UInt8](repeating: 7, count: OutputBuffer.minimumCapacity + 1), to: &buffer)
        buffer.consume(buffer.pending)
        #expect(buffer.pending == 0 && buffer.capacity > OutputBuffer.minimumCapacity)
        append([UInt8](repeating: 7, count: OutputBuffer.retainedCapacity + 1), to: &buffer)
        #expect(buffer.capacity > OutputBuffer.retainedCapacity)
        buffer.consume(buffer.pending)
        #expect(buffer.capacity == 0)
    }

    @Test func pendingBytesMoveToTheFrontBeforeTheBufferGrows() {
        var buffer = OutputBuffer()
        append([UInt8](repeating: 1, count: 3_000), to: &buffer)
        buffer.consume(2_500)
        let capacity = buffer.capacity
        append([UInt8](repeating: 2, count: 2_000), to: &buffer)
        #expect(buffer.capacity == capacity)
        #expect(pending(buffer) == [UInt8](repeating: 1, count: 500) + [UInt8](repeating: 2, count: 2_000))
    }

    @Test func clearKeepsTheStorageOfAScratchBuffer() {
        var buffer = OutputBuffer()
        append([1, 2, 3], to: &buffer)
        buffer.clear()
        #expect(buffer.pending == 0 && buffer.capacity == OutputBuffer.minimumCapacity)
        append([4], to: &buffer)
        #expect(pending(buffer) == [4])
    }

    @Test func releaseDropsEverything() {
        var buffer = OutputBuffer()
        append([1, 2, 3], to: &buffer)
        buffer.release()
        #expect(buffer.pending == 0 && buffer.capacity == 0)
        append([4], to: &buffer)
        #expect(pending(buffer) == [4])
    }
}
