import BlackboardCore
import BlackboardProtocol
import Testing

extension MalformedCase {
    static let replies: [MalformedCase] = [
        MalformedCase("unknown frame", "HELLO urn:x\r\n", .unknownVerb),
        MalformedCase("+OK without verb", "+OK\r\n", .badSyntax),
        MalformedCase("-ERR without code", "-ERR\r\n", .badSyntax),
        MalformedCase("PING extra argument", "PING 1\r\n", .badSyntax),
        MalformedCase("MSG count not a number", "MSG 1 x urn:p 5\r\n", .badSyntax, fatal: true),
        MalformedCase("MSG missing everything", "MSG\r\n", .badSyntax, fatal: true),
        MalformedCase("MSG seq not a number, body consumed", "MSG x 1 urn:p 5\r\na 1\r\nx\r\n", .badSyntax),
        MalformedCase("MSG missing timestamp, body consumed", "MSG 1 1 urn:p\r\na 1\r\nx\r\n", .badSyntax),
        MalformedCase("MSG too many pairs", "MSG 1 5 urn:p 5\r\n", .tooManyPairs, fatal: true),
        MalformedCase("MSG value too large", "MSG 1 1 urn:p 5\r\na 17\r\n", .valueTooLarge, fatal: true),
        MalformedCase("MSG bad concept", "MSG 1 1 urn:p 5\r\na.> 1\r\nx\r\n", .badConcept),
        MalformedCase("MSG missing EOL after value", "MSG 1 1 urn:p 5\r\na 1\r\nxx", .badFrame, fatal: true),
        MalformedCase("PROFILE bad entry", "PROFILE 1 1\r\n.>\r\n", .badEntry),
        MalformedCase("PROFILE version missing", "PROFILE 1\r\n", .badSyntax, fatal: true),
        MalformedCase("DELTA line without sign", "DELTA 2 1\r\na\r\n", .badEntry),
        MalformedCase("DELTA bad entry", "DELTA 2 2\r\n+a\r\n-a..>\r\n", .badEntry),
        MalformedCase("DELTA version not a number", "DELTA v 1\r\n+a\r\n", .badSyntax),
        MalformedCase("overlong line", String(repeating: "+", count: 513), .lineTooLong, fatal: true),
    ]
}

@Suite("ReplyDecoder: malformed input")
struct MalformedReplyTests {
    @Test("raises the expected error; a non-fatal one lets the next frame through", arguments: MalformedCase.replies)
    func malformed(_ testCase: MalformedCase) {
        let input = testCase.wire + bytes("PONG\r\n")
        let expected: [Outcome<Reply>] =
            testCase.fatal ? [.error(testCase.code, fatal: true)] : [.error(testCase.code, fatal: false), .frame(.pong)]
        for feeding in Feeding.all(for: input) {
            #expect(decode(ReplyDecoder.self, input, feeding: feeding, limits: smallLimits) == expected, "\(feeding)")
        }
    }

    @Test("PROFILE and DELTA carry the aggregate profile, which max_profile does not bound")
    func aggregateAboveMaxProfile() {
        let wire = "PROFILE 1 4\r\na\r\nb\r\nc\r\nd\r\nDELTA 2 4\r\n-a\r\n-b\r\n-c\r\n+e\r\n"
        #expect(decode(ReplyDecoder.self, bytes(wire), limits: smallLimits) == [
            .frame(.profile(version: 1, entries: [.exact("a"), .exact("b"), .exact("c"), .exact("d")])),
            .frame(.delta(ProfileDelta(version: 2, added: [.exact("e")], removed: [.exact("a"), .exact("b"), .exact("c")]))),
        ])
    }

    @Test("a fatal error is thrown again on every later call", arguments: MalformedCase.replies.filter(\.fatal))
    func fatalKeepsThrowing(_ testCase: MalformedCase) {
        var decoder = ReplyDecoder(limits: smallLimits)
        decoder.append(contentsOf: testCase.wire)
        let first = #expect(throws: ProtocolError.self) { try decoder.next() }
        #expect(first?.code == testCase.code)
        decoder.append(contentsOf: bytes("PONG\r\n"))
        let again = #expect(throws: ProtocolError.self) { try decoder.next() }
        #expect(again == first)
    }
}
