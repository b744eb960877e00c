import BlackboardCore
import BlackboardProtocol
import Testing

/// One well-formed broker frame on the wire and what it decodes to.
struct ReplyCase: Sendable, CustomTestStringConvertible {
    var name: String
    var wire: String
    var reply: Reply
    /// Whether every CR LF in `wire` is an EOL, so the bare-LF spelling is the same frame.
    var crlfIsEOL = true

    var testDescription: String { name }

    static let all: [ReplyCase] = [
        ReplyCase(
            name: "+OK HELLO", wire: "+OK HELLO urn:demo:sub version=1 ack=0 lease=0\r\n",
            reply: .ok(verb: "HELLO", arguments: ["urn:demo:sub", "version=1", "ack=0", "lease=0"])),
        ReplyCase(name: "+ok sub, lower case", wire: "+ok sub\t1\r\n", reply: .ok(verb: "SUB", arguments: ["1"])),
        ReplyCase(name: "+OK QUIT", wire: "+OK QUIT\r\n", reply: .ok(verb: "QUIT", arguments: [])),
        ReplyCase(
            name: "-ERR with text", wire: "-ERR sync_timeout 2 publishers  behind \r\n",
            reply: .error(code: "sync_timeout", message: "2 publishers  behind")),
        ReplyCase(name: "-ERR without text", wire: "-ERR replaced\r\n", reply: .error(code: "replaced", message: "")),
        ReplyCase(
            name: "MSG two pairs",
            wire: "MSG 1 2 urn:blackboard:conn:2 1763719200123\r\nwf:ActivityExecuting 13\r\nrun-42/step-3\r\nres.cpu 2\r\n87\r\n",
            reply: .message(Delivery(
                sequence: 1, publisher: "urn:blackboard:conn:2", timestamp: 1_763_719_200_123,
                pairs: [Pair("wf:ActivityExecuting", bytes("run-42/step-3")), Pair("res.cpu", bytes("87"))]))),
        ReplyCase(
            name: "MSG binary and empty values", wire: "msg 9 2 urn:p 5\r\nb 3\r\n\r\n\0\r\ne 0\r\n\n",
            reply: .message(Delivery(
                sequence: 9, publisher: "urn:p", timestamp: 5, pairs: [Pair("b", [13, 10, 0]), Pair("e", [])])),
            crlfIsEOL: false),
        ReplyCase(
            name: "MSG 0 pairs", wire: "MSG 7 0 urn:p 5\r\n",
            reply: .message(Delivery(sequence: 7, publisher: "urn:p", timestamp: 5, pairs: []))),
        ReplyCase(
            name: "PROFILE", wire: "PROFILE 1 2\r\nres.>\r\nwf:ActivityExecuting\r\n",
            reply: .profile(version: 1, entries: [.below("res"), .exact("wf:ActivityExecuting")])),
        ReplyCase(name: "PROFILE empty", wire: "PROFILE 0 0\r\n", reply: .profile(version: 0, entries: [])),
        ReplyCase(
            name: "DELTA", wire: "DELTA 3 3\r\n+a.b.>\r\n-c\r\n+>\r\n",
            reply: .delta(ProfileDelta(version: 3, added: [.below("a.b"), .all], removed: [.exact("c")]))),
        ReplyCase(name: "PING", wire: "\r\nPING\r\n", reply: .ping),
        ReplyCase(name: "PONG", wire: "pong\r\n", reply: .pong),
    ]
}

@Suite("ReplyDecoder: well-formed frames")
struct ReplyDecoderTests {
    @Test("decodes the same whole, byte by byte and split at every offset", arguments: ReplyCase.all)
    func everyFeeding(_ testCase: ReplyCase) {
        let input = bytes(testCase.wire + "PONG\r\n")
        let expected: [Outcome<Reply>] = [.frame(testCase.reply), .frame(.pong)]
        for feeding in Feeding.all(for: input) {
            #expect(decode(ReplyDecoder.self, input, feeding: feeding) == expected, "\(feeding)")
        }
    }

    @Test("accepts a bare LF wherever CR LF is", arguments: ReplyCase.all.filter(\.crlfIsEOL))
    func bareLFEverywhere(_ testCase: ReplyCase) {
        let input = bytes(bareLF(testCase.wire) + "PONG\n")
        let expected: [Outcome<Reply>] = [.frame(testCase.reply), .frame(.pong)]
        #expect(decode(ReplyDecoder.self, input) == expected)
        #expect(decode(ReplyDecoder.self, input, feeding: .byteByByte) == expected)
    }

    @Test("the nc transcript of PROTOCOL.md")
    func transcript() {
        let wire = "+OK HELLO urn:demo:pub version=1 ack=0 lease=0\r\n+OK REG\r\nPROFILE 1 2\r\nres.>\r\n"
            + "wf:ActivityExecuting\r\n+OK QUIT\r\n"
        #expect(decode(ReplyDecoder.self, bytes(wire)) == [
            .frame(.ok(verb: "HELLO", arguments: ["urn:demo:pub", "version=1", "ack=0", "lease=0"])),
            .frame(.ok(verb: "REG", arguments: [])),
            .frame(.profile(version: 1, entries: [.below("res"), .exact("wf:ActivityExecuting")])),
            .frame(.ok(verb: "QUIT", arguments: [])),
        ])
    }

    @Test("decodes every case back to back in one stream")
    func allInOneStream() {
        let input = bytes(ReplyCase.all.map(\.wire).joined())
        let expected = ReplyCase.all.map { Outcome<Reply>.frame($0.reply) }
        #expect(decode(ReplyDecoder.self, input) == expected)
        #expect(decode(ReplyDecoder.self, input, feeding: .byteByByte) == expected)
    }
}
