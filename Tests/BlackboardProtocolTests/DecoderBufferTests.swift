import BlackboardCore
import BlackboardProtocol
import Testing

@Suite("CommandDecoder: buffering")
struct DecoderBufferTests {
    /// The paper's largest message: 10,000 pairs of 100-byte values, about 1 MB on the wire.
    static func bigPublication() -> Publication {
        var pairs: [(concept: String, value: [UInt8])] = []
        for index in 0..<10_000 {
            pairs.append(("notebook.experiment.c\(index)", (0..<100).map { UInt8(truncatingIfNeeded: index &+ $0) }))
        }
        return Publication(pairs: pairs)
    }

    @Test("a 1 MB, 10,000-pair PUB decodes when fed one byte at a time")
    func bigPublishByteByByte() throws {
        let message = Self.bigPublication()
        var wire: [UInt8] = []
        CommandEncoder.encode(.publish(message), into: &wire)
        #expect(wire.count > 1_000_000)
        var decoder = CommandDecoder()
        var decoded: [Command] = []
        for byte in wire {
            decoder.append(contentsOf: CollectionOfOne(byte))
            if let command = try decoder.next() { decoded.append(command) }
        }
        #expect(decoded == [.publish(message)])
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("publications share the decoder's buffer, and the span array is reused")
    func sharedStorage() throws {
        var wire: [UInt8] = []
        CommandEncoder.encode(.publish(publication(("a", bytes("1")), ("b", bytes("2")))), into: &wire)
        CommandEncoder.encode(.publish(publication(("c", bytes("3")), ("d", bytes("4")))), into: &wire)
        var decoder = CommandDecoder()
        decoder.append(contentsOf: wire)

        func addresses(_ command: Command?) -> (storage: UnsafeRawPointer?, pairs: UnsafeRawPointer?) {
            guard case let .publish(publication) = command else { return (nil, nil) }
            let storage = publication.storage.withUnsafeBytes { $0.baseAddress }
            let pairs = publication.pairs.withUnsafeBytes { $0.baseAddress }
            return (storage, pairs)
        }
        let first = addresses(try decoder.next())
        let second = addresses(try decoder.next())
        #expect(first.storage != nil)
        #expect(first.storage == second.storage)
        #expect(first.pairs == second.pairs)
    }

    @Test("a publication kept across appends stays valid")
    func keptPublication() throws {
        var decoder = CommandDecoder()
        decoder.append(contentsOf: bytes("PUB 1\r\nkept 5\r\nhello\r\nPUB 1\r\nx 1\r\n"))
        let kept = try #require(try decoder.next())
        #expect(try decoder.next() == nil)
        decoder.append(contentsOf: bytes("y\r\n"))
        #expect(try decoder.next() == .publish(publication(("x", bytes("y")))))
        decoder.append(contentsOf: repeatElement(UInt8(ascii: "\n"), count: 10_000))
        #expect(try decoder.next() == nil)
        #expect(kept == .publish(publication(("kept", bytes("hello")))))
    }

    @Test("bufferedByteCount counts what is not yet decoded")
    func bufferedByteCount() throws {
        var decoder = CommandDecoder()
        decoder.append(contentsOf: bytes("PING\r\nPUB 1\r\na 3"))
        #expect(decoder.bufferedByteCount == 16)
        #expect(try decoder.next() == .ping)
        #expect(decoder.bufferedByteCount == 10)
        #expect(try decoder.next() == nil)
        decoder.append(contentsOf: bytes("\r\nxyz\r\n"))
        #expect(try decoder.next() == .publish(publication(("a", bytes("xyz")))))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("a long mixed stream survives compaction at every chunk size", arguments: [1, 2, 3, 7, 64, 1000])
    func compaction(_ chunkSize: Int) throws {
        var commands: [Command] = []
        for index in 0..<300 {
            switch index % 4 {
            case 0: commands.append(.publish(publication(("c\(index)", Array(repeating: 7, count: index)))))
            case 1: commands.append(.subscribe([.exact("s\(index)"), .below("p\(index)")]))
            case 2: commands.append(.acknowledge(version: UInt64(index)))
            default: commands.append(.publish(publication(("a", [13, 10]), ("b.c", bytes("\(index)")))))
            }
        }
        var wire: [UInt8] = []
        for command in commands { CommandEncoder.encode(command, into: &wire) }
        var decoder = CommandDecoder()
        var decoded: [Command] = []
        var offset = 0
        while offset < wire.count {
            let end = min(wire.count, offset + chunkSize)
            decoder.append(contentsOf: wire[offset..<end])
            offset = end
            while let command = try decoder.next() { decoded.append(command) }
        }
        #expect(decoded == commands)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("appends after a fatal error are dropped")
    func noBufferingAfterFatal() {
        var decoder = CommandDecoder()
        decoder.append(contentsOf: bytes("PUB x\r\n"))
        let error = #expect(throws: ProtocolError.self) { try decoder.next() }
        #expect(error?.code == .badSyntax)
        #expect(error?.isFatal == true)
        decoder.append(contentsOf: repeatElement(0, count: 100_000))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("limits can change between commands")
    func changingLimits() throws {
        var decoder = CommandDecoder()
        decoder.append(contentsOf: bytes("PUB 3\r\n"))
        decoder.limits.maxPairs = 2
        #expect(throws: ProtocolError.self) { try decoder.next() }
    }
}

@Suite("Publication")
struct PublicationTests {
    @Test("equality compares pair contents, not storage layout")
    func equality() {
        let built = publication(("a", bytes("xy")), ("b", []))
        let sparse = Publication(
            storage: bytes("--a--xy--b--"),
            pairs: [PairSpan(concept: 2..<3, value: 5..<7), PairSpan(concept: 9..<10, value: 10..<10)])
        #expect(built == sparse)
        #expect(built.count == 2)
        #expect(Array(sparse.concept(at: 1)) == bytes("b"))
        #expect(Array(sparse.value(at: 0)) == bytes("xy"))
        #expect(built != publication(("a", bytes("xy"))))
        #expect(built != publication(("a", bytes("xy")), ("b", [0])))
    }
}
