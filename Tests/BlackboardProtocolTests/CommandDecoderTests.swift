import BlackboardCore
import BlackboardProtocol
import Testing

/// One well-formed command on the wire and what it decodes to.
struct CommandCase: Sendable, CustomTestStringConvertible {
    var name: String
    var wire: String
    var command: Command
    /// Whether every CR LF in `wire` is an EOL (not inside a value), so the bare-LF spelling is the same frame.
    var crlfIsEOL = true

    var testDescription: String { name }

    static let all: [CommandCase] = [
        CommandCase(name: "HELLO uri", wire: "HELLO urn:demo:sub\r\n", command: .hello(Hello(uri: "urn:demo:sub"))),
        CommandCase(
            name: "HELLO all options",
            wire: "HELLO http://host:8080/logger version=1 name=monitor ack=1 lease=30 colour=blue\r\n",
            command: .hello({
                var hello = Hello(
                    uri: "http://host:8080/logger", name: "monitor", acknowledgePublishes: true, leaseSeconds: 30)
                hello.otherOptions = ["colour": "blue"]
                return hello
            }())),
        CommandCase(
            name: "hello lower case, tabs, key case", wire: "hello \t urn:x\tACK=0  Name=  \r\n",
            command: .hello(Hello(uri: "urn:x", name: ""))),
        CommandCase(
            name: "HELLO user and percent-encoded password", wire: "HELLO urn:x user=alice password=a%20b%25c%C3%A9\r\n",
            command: .hello({
                var hello = Hello(uri: "urn:x")
                hello.user = "alice"
                hello.password = Array("a b%cé".utf8)
                return hello
            }())),
        CommandCase(
            name: "HELLO token", wire: "HELLO urn:x token=svc.engine.Zm9v\r\n",
            command: .hello({
                var hello = Hello(uri: "urn:x")
                hello.token = "svc.engine.Zm9v"
                return hello
            }())),
        CommandCase(
            name: "SUB two entries", wire: "SUB 2\r\nwf:ActivityExecuting\r\nres.>\r\n",
            command: .subscribe([.exact("wf:ActivityExecuting"), .below("res")])),
        CommandCase(name: "SUB 0", wire: "SUB 0\r\n", command: .subscribe([])),
        CommandCase(
            name: "sub with blanks around entries", wire: "sub\t3 \r\n  a.b.c\r\n>\t\r\nnotebook.>\r\n",
            command: .subscribe([.exact("a.b.c"), .all, .below("notebook")])),
        CommandCase(name: "ADD", wire: "ADD 1\r\n>\r\n", command: .add([.all])),
        CommandCase(name: "DEL", wire: "Del 1\r\nres:CPU\r\n", command: .remove([.exact("res:CPU")])),
        CommandCase(name: "UNSUB", wire: "UNSUB\r\n", command: .unsubscribe),
        CommandCase(name: "REG", wire: "REG\r\n", command: .register),
        CommandCase(name: "UNREG", wire: "unreg\r\n", command: .unregister),
        CommandCase(
            name: "PUB two pairs", wire: "PUB 2\r\nwf:ActivityExecuting 13\r\nrun-42/step-3\r\nres:CPU 2\r\n87\r\n",
            command: .publish(publication(("wf:ActivityExecuting", bytes("run-42/step-3")), ("res:CPU", bytes("87"))))),
        CommandCase(name: "PUB 0", wire: "PUB 0\r\n", command: .publish(publication())),
        CommandCase(
            name: "PUB binary value", wire: "pub 1\r\nbin 5\r\n\r\n\0\n\r\r\n",
            command: .publish(publication(("bin", [13, 10, 0, 10, 13]))), crlfIsEOL: false),
        CommandCase(
            name: "PUB empty value, blanks in header", wire: "PUB 1\r\n empty \t 0 \r\n\r\n",
            command: .publish(publication(("empty", [])))),
        CommandCase(
            name: "PUB value EOL is LF", wire: "PUB 2\r\na 1\r\nx\nb 1\r\ny\r\n",
            command: .publish(publication(("a", bytes("x")), ("b", bytes("y"))))),
        CommandCase(name: "ACK", wire: "ACK 42\r\n", command: .acknowledge(version: 42)),
        CommandCase(
            name: "ACK 19 digits", wire: "ACK 9999999999999999999\r\n",
            command: .acknowledge(version: 9_999_999_999_999_999_999)),
        CommandCase(name: "ACK leading zeros", wire: "ACK 007\r\n", command: .acknowledge(version: 7)),
        CommandCase(name: "SYNC", wire: "SYNC\r\n", command: .sync(timeoutMilliseconds: nil)),
        CommandCase(name: "SYNC timeout", wire: "SYNC 250\r\n", command: .sync(timeoutMilliseconds: 250)),
        CommandCase(name: "PING after empty lines", wire: "\r\n  \r\n\t\r\n  PING \t\r\n", command: .ping),
        CommandCase(name: "PONG", wire: "PONG\r\n", command: .pong),
        CommandCase(name: "QUIT", wire: "QUIT\r\n", command: .quit),
    ]
}

@Suite("CommandDecoder: well-formed frames")
struct CommandDecoderTests {
    @Test("decodes the same whole, byte by byte and split at every offset", arguments: CommandCase.all)
    func everyFeeding(_ testCase: CommandCase) {
        let input = bytes(testCase.wire + "PING\r\n")
        let expected: [Outcome<Command>] = [.frame(testCase.command), .frame(.ping)]
        for feeding in Feeding.all(for: input) {
            #expect(decode(CommandDecoder.self, input, feeding: feeding) == expected, "\(feeding)")
        }
    }

    @Test("accepts a bare LF wherever CR LF is", arguments: CommandCase.all.filter(\.crlfIsEOL))
    func bareLFEverywhere(_ testCase: CommandCase) {
        let input = bytes(bareLF(testCase.wire) + "PING\n")
        let expected: [Outcome<Command>] = [.frame(testCase.command), .frame(.ping)]
        #expect(decode(CommandDecoder.self, input) == expected)
        #expect(decode(CommandDecoder.self, input, feeding: .byteByByte) == expected)
    }

    @Test("decodes every case back to back in one stream, fed in uneven chunks")
    func allInOneStream() {
        let input = bytes(CommandCase.all.map(\.wire).joined())
        let expected = CommandCase.all.map { Outcome<Command>.frame($0.command) }
        #expect(decode(CommandDecoder.self, input) == expected)
        // Chunks of 1, 2, 3, … 17 bytes, so frame and chunk boundaries drift apart.
        var decoder = CommandDecoder()
        var decoded: [Outcome<Command>] = []
        var offset = 0
        var size = 1
        while offset < input.count {
            let end = min(input.count, offset + size)
            decoder.append(contentsOf: input[offset..<end])
            while let command = try? decoder.next() { decoded.append(.frame(command)) }
            offset = end
            size = size % 17 + 1
        }
        #expect(decoded == expected)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("the nc transcript of PROTOCOL.md")
    func transcript() {
        let subscriber = "HELLO urn:demo:sub\r\nSUB 2\r\nwf:ActivityExecuting\r\nres.>\r\n"
        #expect(decode(CommandDecoder.self, bytes(subscriber)) == [
            .frame(.hello(Hello(uri: "urn:demo:sub"))),
            .frame(.subscribe([.exact("wf:ActivityExecuting"), .below("res")])),
        ])
        let publisher = "PUB 3\r\nwf:ActivityExecuting 13\r\nrun-42/step-3\r\nres.cpu 2\r\n87\r\nwf:Ignored 1\r\nx\r\nQUIT\r\n"
        #expect(decode(CommandDecoder.self, bytes(publisher)) == [
            .frame(.publish(publication(
                ("wf:ActivityExecuting", bytes("run-42/step-3")), ("res.cpu", bytes("87")), ("wf:Ignored", bytes("x"))))),
            .frame(.quit),
        ])
        let registrar = "HELLO urn:demo:pub\r\nREG\r\nACK 1\r\nQUIT\r\n"
        #expect(decode(CommandDecoder.self, bytes(registrar)) == [
            .frame(.hello(Hello(uri: "urn:demo:pub"))), .frame(.register), .frame(.acknowledge(version: 1)),
            .frame(.quit),
        ])
    }

    @Test("a line of exactly max_line bytes with its EOL is accepted", arguments: ["\r\n", "\n"])
    func lineAtTheLimit(_ eol: String) throws {
        var limits = Limits()
        limits.maxLineBytes = 64
        let line = "PING" + String(repeating: " ", count: 64 - 4 - eol.utf8.count) + eol
        #expect(line.utf8.count == 64)
        #expect(decode(CommandDecoder.self, bytes(line), feeding: .byteByByte, limits: limits) == [.frame(.ping)])
        let longer = " " + line
        #expect(decode(CommandDecoder.self, bytes(longer), limits: limits) == [.error(.lineTooLong, fatal: true)])
    }
}
