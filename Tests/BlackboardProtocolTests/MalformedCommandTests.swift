import BlackboardCore
import BlackboardProtocol
import Testing

/// A malformed input, decoded with `smallLimits`, and the error it must raise.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var wire: [UInt8]
    var code: ErrorCode
    var fatal: Bool

    init(_ name: String, _ wire: String, _ code: ErrorCode, fatal: Bool = false) {
        self.init(name, bytes(wire), code, fatal: fatal)
    }

    init(_ name: String, _ wire: [UInt8], _ code: ErrorCode, fatal: Bool = false) {
        self.name = name
        self.wire = wire
        self.code = code
        self.fatal = fatal
    }

    var testDescription: String { name }

    static let sixteen = String(repeating: "v", count: 16)

    static let commands: [MalformedCase] = [
        // Unknown verbs.
        MalformedCase("unknown verb", "FOO\r\n", .unknownVerb),
        MalformedCase("verb with arguments unknown", "PUBLISH 1\r\n", .unknownVerb),
        MalformedCase("verb longer than 8 bytes", "SUBSCRIBER 1\r\n", .unknownVerb),
        MalformedCase("verb with a NUL", [0, 0x50, 0x55, 0x42, 0x20, 0x30, 0x0D, 0x0A], .unknownVerb),
        MalformedCase("reply verb sent as command", "+OK\r\n", .unknownVerb),
        // Arguments of frames without a body: non-fatal.
        MalformedCase("ACK missing version", "ACK\r\n", .badSyntax),
        MalformedCase("ACK extra argument", "ACK 1 2\r\n", .badSyntax),
        MalformedCase("ACK not a number", "ACK one\r\n", .badSyntax),
        MalformedCase("ACK signed", "ACK +1\r\n", .badSyntax),
        MalformedCase("ACK 20 digits", "ACK 12345678901234567890\r\n", .badSyntax),
        MalformedCase("SYNC not a number", "SYNC soon\r\n", .badSyntax),
        MalformedCase("SYNC extra argument", "SYNC 1 2\r\n", .badSyntax),
        MalformedCase("PING extra argument", "PING now\r\n", .badSyntax),
        MalformedCase("UNSUB extra argument", "UNSUB all\r\n", .badSyntax),
        MalformedCase("QUIT extra argument", "QUIT now\r\n", .badSyntax),
        // Counts: unreadable loses the framing (fatal); readable with extra arguments does not.
        MalformedCase("SUB missing count", "SUB\r\n", .badSyntax, fatal: true),
        MalformedCase("SUB count not a number", "SUB x\r\na\r\n", .badSyntax, fatal: true),
        MalformedCase("PUB negative count", "PUB -1\r\n", .badSyntax, fatal: true),
        MalformedCase("PUB 20-digit count", "PUB 12345678901234567890\r\n", .badSyntax, fatal: true),
        MalformedCase("SUB extra argument, body consumed", "SUB 1 extra\r\na\r\n", .badSyntax),
        MalformedCase("PUB extra argument, body consumed", "PUB 1 extra\r\na 1\r\nx\r\n", .badSyntax),
        // Limits, checked on the header before the body arrives.
        MalformedCase("PUB too many pairs declared", "PUB 5\r\n", .tooManyPairs, fatal: true),
        MalformedCase("SUB too many entries declared", "SUB 4\r\n", .profileTooLarge, fatal: true),
        MalformedCase("ADD too many entries declared", "ADD 99999\r\n", .profileTooLarge, fatal: true),
        MalformedCase("value too large declared", "PUB 1\r\na 17\r\n", .valueTooLarge, fatal: true),
        MalformedCase(
            "message too large", "PUB 3\r\na 16\r\n\(sixteen)\r\nb 16\r\n\(sixteen)\r\nc 16\r\n", .messageTooLarge,
            fatal: true),
        MalformedCase(
            "overlong control line", "PING" + String(repeating: " ", count: 600) + "\r\n", .lineTooLong, fatal: true),
        MalformedCase("overlong line without EOL", String(repeating: "A", count: 512), .lineTooLong, fatal: true),
        MalformedCase(
            "overlong entry line", "SUB 1\r\n" + String(repeating: "a", count: 511) + "\r\n", .lineTooLong,
            fatal: true),
        MalformedCase(
            "overlong record header", "PUB 1\r\n" + String(repeating: "a", count: 520) + " 1\r\nx\r\n", .lineTooLong,
            fatal: true),
        // Concepts: the frame is intact, the whole message is refused.
        MalformedCase("concept with a space", "PUB 2\r\nok 1\r\nx\r\na b 1\r\ny\r\n", .badConcept),
        MalformedCase("concept not ASCII", "PUB 1\r\ndé 1\r\nx\r\n", .badConcept),
        MalformedCase("concept with a control byte", [UInt8]("PUB 1\r\na\u{1}b 1\r\nx\r\n".utf8), .badConcept),
        MalformedCase("concept ending in .>", "PUB 1\r\na.> 1\r\nx\r\n", .badConcept),
        MalformedCase("concept >", "PUB 1\r\n> 1\r\nx\r\n", .badConcept),
        MalformedCase("concept too long", "PUB 1\r\n" + String(repeating: "c", count: 33) + " 1\r\nx\r\n", .badConcept),
        // Entries: the frame is intact, the whole command is refused.
        MalformedCase("entry .>", "SUB 2\r\na\r\n.>\r\n", .badEntry),
        MalformedCase("entry a..>", "ADD 1\r\na..>\r\n", .badEntry),
        MalformedCase("entry with a space", "DEL 1\r\na b\r\n", .badEntry),
        MalformedCase("empty entry line", "SUB 2\r\n\r\nb\r\n", .badEntry),
        // Records.
        MalformedCase("value longer than declared", "PUB 1\r\na 1\r\nxy\r\n", .badFrame, fatal: true),
        MalformedCase("value CR without LF", "PUB 1\r\na 1\r\nx\ry", .badFrame, fatal: true),
        MalformedCase("record header without length", "PUB 1\r\nabc\r\n", .badFrame, fatal: true),
        MalformedCase("record length not a number", "PUB 1\r\na x\r\n", .badFrame, fatal: true),
        MalformedCase("record length signed", "PUB 1\r\na -1\r\n", .badFrame, fatal: true),
        MalformedCase("empty record header line", "PUB 1\r\n\r\na 1\r\nx\r\n", .badFrame, fatal: true),
        // HELLO.
        MalformedCase("HELLO without uri", "HELLO\r\n", .badSyntax),
        MalformedCase("HELLO uri not ASCII", "HELLO urn:café\r\n", .badURI),
        MalformedCase("HELLO uri of 257 bytes", "HELLO " + String(repeating: "u", count: 257) + "\r\n", .badURI),
        MalformedCase("HELLO version 2", "HELLO urn:x version=2\r\n", .badVersion),
        MalformedCase("HELLO version not a number", "HELLO urn:x version=one\r\n", .badSyntax),
        MalformedCase("HELLO option without =", "HELLO urn:x verbose\r\n", .badSyntax),
        MalformedCase("HELLO option without key", "HELLO urn:x =1\r\n", .badSyntax),
        MalformedCase("HELLO ack 2", "HELLO urn:x ack=2\r\n", .badSyntax),
        MalformedCase("HELLO lease not a number", "HELLO urn:x lease=long\r\n", .badSyntax),
        MalformedCase("HELLO name not ASCII", "HELLO urn:x name=José\r\n", .badSyntax),
        MalformedCase("HELLO user without password", "HELLO urn:x user=alice\r\n", .badSyntax),
        MalformedCase("HELLO password without user", "HELLO urn:x password=x\r\n", .badSyntax),
        MalformedCase("HELLO token and user", "HELLO urn:x token=a.b user=a password=b\r\n", .badSyntax),
        MalformedCase("HELLO password bad escape", "HELLO urn:x user=a password=%4\r\n", .badSyntax),
        MalformedCase("HELLO password escape not hex", "HELLO urn:x user=a password=%zz\r\n", .badSyntax),
    ]
}

@Suite("CommandDecoder: malformed input")
struct MalformedCommandTests {
    @Test("raises the expected error; a non-fatal one lets the next command through", arguments: MalformedCase.commands)
    func malformed(_ testCase: MalformedCase) {
        let input = testCase.wire + bytes("PING\r\n")
        let expected: [Outcome<Command>] =
            testCase.fatal ? [.error(testCase.code, fatal: true)] : [.error(testCase.code, fatal: false), .frame(.ping)]
        for feeding in Feeding.all(for: input) {
            #expect(decode(CommandDecoder.self, input, feeding: feeding, limits: smallLimits) == expected, "\(feeding)")
        }
    }

    @Test("a fatal error is thrown again on every later call", arguments: MalformedCase.commands.filter(\.fatal))
    func fatalKeepsThrowing(_ testCase: MalformedCase) throws {
        var decoder = CommandDecoder(limits: smallLimits)
        decoder.append(contentsOf: testCase.wire)
        let first = #expect(throws: ProtocolError.self) { try decoder.next() }
        #expect(first?.code == testCase.code)
        #expect(first?.isFatal == true)
        decoder.append(contentsOf: bytes("PING\r\n"))
        for _ in 0..<3 {
            let again = #expect(throws: ProtocolError.self) { try decoder.next() }
            #expect(again == first)
        }
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("a 4 GB value or 10 million pairs fail on the header, with default limits", arguments: [
        ("PUB 1\r\nhuge 4294967296\r\n", ErrorCode.valueTooLarge),
        ("PUB 10000000\r\n", .tooManyPairs),
        ("SUB 10000000\r\n", .profileTooLarge),
        ("PUB 1\r\nhuge 9999999999999999999\r\n", .valueTooLarge),
    ])
    func hugeDeclarations(_ wire: String, _ code: ErrorCode) {
        #expect(decode(CommandDecoder.self, bytes(wire)) == [.error(code, fatal: true)])
    }

    @Test("an overlong line fails as soon as max_line bytes are buffered, before any EOL")
    func slowloris() throws {
        var decoder = CommandDecoder()
        decoder.append(contentsOf: repeatElement(UInt8(ascii: "A"), count: 4095))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 4095)
        decoder.append(contentsOf: [UInt8(ascii: "A")])
        let error = #expect(throws: ProtocolError.self) { try decoder.next() }
        #expect(error?.code == .lineTooLong)
        #expect(error?.isFatal == true)
    }
}
