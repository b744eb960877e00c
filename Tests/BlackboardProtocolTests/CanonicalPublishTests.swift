import BlackboardCore
import BlackboardProtocol
import Testing

/// The decoder's one-pass path for whole, canonical `PUB` frames must decide
/// exactly as the incremental path does. Fed whole, a frame takes the fast
/// path when it can; fed byte by byte, it never can. Each case is followed by
/// `PING`, so a frame the two paths measured differently would show up as a
/// lost or extra command.
@Suite("Decoder: the canonical PUB fast path agrees with the general path")
struct CanonicalPublishTests {
    static let frames: [String] = [
        "PUB 1\r\na 1\r\nx\r\n",
        "PUB 1\na 1\nx\n",
        "pub 1\r\nwf:ActivityExecuting 13\r\nrun-42/step-3\r\n",
        "Pub 2\r\nres:CPU 2\r\n87\r\nres.mem 0\r\n\r\n",
        "PUB 4\r\na 1\r\n1\r\nb 1\r\n2\r\nc 1\r\n3\r\nd 1\r\n4\r\n",
        "PUB 5\r\na 1\r\n1\r\nb 1\r\n2\r\nc 1\r\n3\r\nd 1\r\n4\r\ne 1\r\n5\r\n",  // above maxPairs
        "PUB 0\r\n",
        "PUB 01\r\na 001\r\nx\r\n",  // leading zeros
        "PUB  1\r\na 1\r\nx\r\n",  // two spaces
        "PUB\t1\r\na 1\r\nx\r\n",
        " PUB 1\r\na 1\r\nx\r\n",
        "PUB 1 \r\na 1\r\nx\r\n",
        "PUB 1 2\r\na 1\r\nx\r\n",
        "PUB 1\r\na  1\r\nx\r\n",
        "PUB 1\r\na\t1\r\nx\r\n",
        "PUB 1\r\n a 1\r\nx\r\n",
        "PUB 1\r\na b 1\r\nx\r\n",  // blank inside the concept
        "PUB 1\r\n> 1\r\nx\r\n",
        "PUB 1\r\na.> 1\r\nx\r\n",
        "PUB 1\r\na> 1\r\nx\r\n",
        "PUB 1\r\n\(String(repeating: "c", count: 32)) 1\r\nx\r\n",  // concept at the limit
        "PUB 1\r\n\(String(repeating: "c", count: 33)) 1\r\nx\r\n",  // above it
        "PUB 1\r\na 16\r\n\(String(repeating: "v", count: 16))\r\n",  // value at the limit
        "PUB 1\r\na 17\r\n\(String(repeating: "v", count: 17))\r\n",
        "PUB 3\r\naaaaaaaaaa 10\r\n0123456789\r\nb 9\r\n012345678\r\nc 0\r\n\r\n",  // message at 40 bytes
        "PUB 3\r\naaaaaaaaaa 10\r\n0123456789\r\nb 10\r\n0123456789\r\nc 0\r\n\r\n",  // 41 bytes
        "PUB 1\r\na 1\r\nxy\r\n",  // value longer than announced
        "PUB 1\r\na 2\r\nx\r\n",
        "PUB 1\r\na 1\rx\r\n",
        "PUB 1\r\na 1\r\nx\n\n",
        "PUB 1\r\na 1\r\nx\r",
        "PUB 1\r\na 99999999999999999999\r\nx\r\n",  // 20 digits
        "PUB 1\r\na x\r\nx\r\n",
        "PUB 1\r\na 1 \r\nx\r\n",
        "PUB 1\r\né 1\r\nx\r\n",
        "PUB 1\r\na\u{7F} 1\r\nx\r\n",
        "PUBX 1\r\na 1\r\nx\r\n",
        "PU 1\r\na 1\r\nx\r\n",
    ]

    @Test("whole and byte by byte", arguments: frames)
    func sameOutcome(_ frame: String) {
        let stream = bytes(frame + "PING\r\n" + frame + "PING\r\n")
        let whole = decode(CommandDecoder.self, stream, limits: smallLimits)
        #expect(decode(CommandDecoder.self, stream, feeding: .byteByByte, limits: smallLimits) == whole)
        for offset in 1..<stream.count {
            #expect(decode(CommandDecoder.self, stream, feeding: .split(at: offset), limits: smallLimits) == whole)
        }
    }

    @Test("a record header longer than max_line is refused on either path")
    func lineLimit() {
        var limits = smallLimits
        limits.maxLineBytes = 12
        for frame in ["PUB 1\r\nabcdefgh 1\r\nx\r\n", "PUB 1\r\nabcdefghi 1\r\nx\r\n", "PUB 1\nabcdefghij 1\nx\n"] {
            let stream = bytes(frame + "PING\r\n")
            let whole = decode(CommandDecoder.self, stream, limits: limits)
            #expect(decode(CommandDecoder.self, stream, feeding: .byteByByte, limits: limits) == whole)
        }
    }

    @Test("a canonical frame decodes to its pairs, and the stream goes on")
    func decodesPairs() throws {
        var decoder = CommandDecoder(limits: smallLimits)
        decoder.append(contentsOf: bytes("PUB 2\r\nres:CPU 2\r\n87\r\nwf:A 0\r\n\r\nPING\r\n"))
        let first = try decoder.next()
        #expect(first == .publish(publication(("res:CPU", bytes("87")), ("wf:A", []))))
        #expect(try decoder.next() == .ping)
        #expect(try decoder.next() == nil)
    }
}
