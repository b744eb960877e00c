import BlackboardCore
import BlackboardProtocol
import Testing

/// A small deterministic generator (64-bit LCG), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}

/// Fragments that make up plausible and implausible streams alike.
let fragments: [String] = [
    "PUB 2\r\n", "PUB 1\n", "pub 0\r\n", "a 1\r\n", "b.c 3\r\n", "x\r\n", "xyz\n", "a.> 1\r\n", "SUB 1\r\n",
    "ADD 2\n", "DEL 1\r\n", ">\r\n", "a.b.>\n", ".>\r\n", "\r\n", "\n", "\r", " ", "\t", "HELLO urn:x ack=1\r\n",
    "HELLO urn:x version=2\n", "PING\r\n", "ACK 7\r\n", "SYNC x\r\n", "9", "99999999999999999999", "FOO\r\n",
    "MSG 1 1 urn:p 5\r\n", "+OK SUB 1\r\n", "-ERR bad_entry no\r\n", "PROFILE 1 1\r\n", "DELTA 2 1\r\n+a\r\n",
    "\0", "é", String(repeating: "L", count: 40),
]

/// A random stream of `count` fragments.
func randomStream(seed: UInt64, count: Int) -> [UInt8] {
    var generator = SeededGenerator(state: seed)
    var stream: [UInt8] = []
    for _ in 0..<count { stream += bytes(fragments.randomElement(using: &generator)!) }
    return stream
}

@Suite("Decoders: the outcome does not depend on how bytes arrive")
struct FeedingIndependenceTests {
    static var limits: Limits {
        var limits = smallLimits
        limits.maxLineBytes = 64
        return limits
    }

    @Test("commands from random streams", arguments: 0..<64)
    func commands(_ seed: Int) {
        let stream = randomStream(seed: UInt64(seed), count: 30)
        let whole = decode(CommandDecoder.self, stream, limits: Self.limits)
        #expect(decode(CommandDecoder.self, stream, feeding: .byteByByte, limits: Self.limits) == whole)
        for offset in stride(from: 0, through: stream.count, by: 7) {
            #expect(decode(CommandDecoder.self, stream, feeding: .split(at: offset), limits: Self.limits) == whole)
        }
    }

    @Test("replies from random streams", arguments: 0..<64)
    func replies(_ seed: Int) {
        let stream = randomStream(seed: UInt64(seed) + 1000, count: 30)
        let whole = decode(ReplyDecoder.self, stream, limits: Self.limits)
        #expect(decode(ReplyDecoder.self, stream, feeding: .byteByByte, limits: Self.limits) == whole)
        for offset in stride(from: 0, through: stream.count, by: 7) {
            #expect(decode(ReplyDecoder.self, stream, feeding: .split(at: offset), limits: Self.limits) == whole)
        }
    }
}
