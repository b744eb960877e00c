import BlackboardCore
import BlackboardProtocol
import Testing

/// Every byte value, and the bytes that look like framing.
let awkwardValue: [UInt8] = Array(0...255) + [13, 10, 13, 13, 10, 10, 0]

@Suite("Encoders: encode then decode")
struct RoundTripTests {
    static let commands: [Command] = [
        .hello(Hello(uri: "urn:trident:monitor")),
        .hello({
            var hello = Hello(uri: "http://host/x", name: "logger", acknowledgePublishes: true, leaseSeconds: 60)
            hello.otherOptions = ["zeta": "1", "alpha": ""]
            return hello
        }()),
        .hello({
            var hello = Hello(uri: "urn:x")
            hello.user = "alice"
            hello.password = Array(0...255) + Array("%20".utf8)
            return hello
        }()),
        .hello({
            var hello = Hello(uri: "urn:x")
            hello.token = "svc.engine.Zm9v-_"
            return hello
        }()),
        .subscribe([]),
        .subscribe([.exact("wf:ActivityExecuting"), .below("notebook.experiment"), .all]),
        .add([.below("res")]),
        .remove([.exact("res:CPU"), .below("a.b")]),
        .unsubscribe, .register, .unregister,
        .publish(publication()),
        .publish(publication(("empty", []))),
        .publish(publication(("bin", awkwardValue), ("wf:ActivityExecuting", bytes("run-42")), ("x", [0]))),
        .acknowledge(version: 0), .acknowledge(version: 9_999_999_999_999_999_999),
        .sync(timeoutMilliseconds: nil), .sync(timeoutMilliseconds: 5000),
        .ping, .pong, .quit,
    ]

    static let replies: [Reply] = [
        .ok(verb: "HELLO", arguments: ["urn:demo:sub", "version=1", "ack=0", "lease=0"]),
        .ok(verb: "QUIT", arguments: []),
        .error(code: "sync_timeout", message: "2 publishers behind"),
        .error(code: "replaced", message: ""),
        .error(code: "some_future_code", message: "text"),
        .message(Delivery(sequence: 1, publisher: "urn:demo:pub", timestamp: 1_763_719_200_123, pairs: [])),
        .message(Delivery(
            sequence: 9_999_999_999_999_999_999, publisher: "urn:p", timestamp: 0,
            pairs: [Pair("bin", awkwardValue), Pair("e", []), Pair("a.b.c", bytes("v"))])),
        .profile(version: 0, entries: []),
        .profile(version: 12, entries: [.all, .below("res"), .exact("wf:X")]),
        .delta(ProfileDelta(version: 4, added: [.below("a.b"), .exact("c")], removed: [.all])),
        .delta(ProfileDelta(version: 5, added: [], removed: [])),
        .ping, .pong,
    ]

    @Test("every command", arguments: commands)
    func command(_ command: Command) {
        var wire: [UInt8] = []
        CommandEncoder.encode(command, into: &wire)
        #expect(decode(CommandDecoder.self, wire) == [.frame(command)])
        #expect(decode(CommandDecoder.self, wire, feeding: .byteByByte) == [.frame(command)])
    }

    @Test("every reply", arguments: replies)
    func reply(_ reply: Reply) {
        var wire: [UInt8] = []
        ReplyEncoder.encode(reply, into: &wire)
        #expect(decode(ReplyDecoder.self, wire) == [.frame(reply)])
        #expect(decode(ReplyDecoder.self, wire, feeding: .byteByByte) == [.frame(reply)])
    }

    @Test("all commands in one buffer, then all replies")
    func streams() {
        var wire: [UInt8] = []
        for command in Self.commands { CommandEncoder.encode(command, into: &wire) }
        #expect(decode(CommandDecoder.self, wire) == Self.commands.map { .frame($0) })
        wire = []
        for reply in Self.replies { ReplyEncoder.encode(reply, into: &wire) }
        #expect(decode(ReplyDecoder.self, wire) == Self.replies.map { .frame($0) })
    }
}

@Suite("Encoders: exact bytes")
struct EncoderBytesTests {
    @Test("the fast publish path writes what encode(.publish) writes")
    func publishFastPath() {
        let pairs = [Pair("wf:ActivityExecuting", bytes("run-42/step-3")), Pair("res:CPU", bytes("87"))]
        var fast: [UInt8] = [UInt8(ascii: "#")]
        CommandEncoder.publish(pairs, into: &fast)
        var general: [UInt8] = [UInt8(ascii: "#")]
        CommandEncoder.encode(.publish(Publication(pairs: pairs.map { ($0.concept, $0.value) })), into: &general)
        #expect(fast == general)
        #expect(String(decoding: fast, as: UTF8.self)
            == "#PUB 2\r\nwf:ActivityExecuting 13\r\nrun-42/step-3\r\nres:CPU 2\r\n87\r\n")
    }

    @Test("the MSG hot path writes the selected pairs, as in PROTOCOL.md")
    func messageHotPath() {
        let message = publication(
            ("wf:ActivityExecuting", bytes("run-42/step-3")), ("res.cpu", bytes("87")), ("wf:Ignored", bytes("x")))
        let publisher = bytes("urn:blackboard:conn:2")
        let selected: [Int32] = [0, 1]
        var wire: [UInt8] = []
        message.storage.withUnsafeBytes { storage in
            message.pairs.withUnsafeBufferPointer { pairs in
                selected.withUnsafeBufferPointer { selected in
                    publisher.withUnsafeBytes { publisher in
                        ReplyEncoder.message(
                            sequence: 1, publisher: publisher, timestamp: 1_763_719_200_123, storage: storage,
                            pairs: pairs, selected: selected, into: &wire)
                    }
                }
            }
        }
        #expect(String(decoding: wire, as: UTF8.self) == """
            MSG 1 2 urn:blackboard:conn:2 1763719200123\r
            wf:ActivityExecuting 13\r
            run-42/step-3\r
            res.cpu 2\r
            87\r

            """)
        var general: [UInt8] = []
        ReplyEncoder.encode(.message(Delivery(
            sequence: 1, publisher: "urn:blackboard:conn:2", timestamp: 1_763_719_200_123,
            pairs: [Pair("wf:ActivityExecuting", bytes("run-42/step-3")), Pair("res.cpu", bytes("87"))])),
            into: &general)
        #expect(wire == general)
    }

    @Test("a MSG frame's shared tail is the tail of every pair selected in order")
    func sharedTail() {
        let message = publication(("a", bytes("1")), ("b.c", []), ("d", bytes(String(repeating: "v", count: 300))))
        let publisher = bytes("urn:p")
        let all: [Int32] = [0, 1, 2]
        func frame(_ sequence: UInt64, _ selected: [Int32]?) -> [UInt8] {
            message.storage.withUnsafeBytes { storage in
                message.pairs.withUnsafeBufferPointer { pairs in
                    publisher.withUnsafeBytes { publisher in
                        let ids = selected ?? []
                        let stamp = [UInt8](unsafeUninitializedCapacity: MessageFrame.stampCapacity(publisher: publisher.count)) {
                            $1 = MessageFrame.encodeStamp(publisher: publisher, timestamp: 7, into: $0.baseAddress!)
                        }
                        return ids.withUnsafeBufferPointer { ids in
                            stamp.withUnsafeBytes { stamp in
                                let chosen = selected == nil ? nil : ids
                                let capacity = MessageFrame.maxHeadSize
                                    + MessageFrame.tailCapacity(stamp: stamp.count, pairs: pairs, selected: chosen)
                                return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
                                    let base = UnsafeMutableRawPointer(out.baseAddress!)
                                    let head = MessageFrame.encodeHead(sequence: sequence, into: base)
                                    count = head + MessageFrame.encodeTail(
                                        stamp: stamp, storage: storage, pairs: pairs, selected: chosen, into: base + head)
                                }
                            }
                        }
                    }
                }
            }
        }
        for sequence: UInt64 in [0, 9, 10, 12_345, .max] {
            #expect(frame(sequence, nil) == frame(sequence, all))
            #expect(String(decoding: frame(sequence, nil).prefix(3), as: UTF8.self) == "MSG")
            #expect(String(decoding: frame(sequence, [1]), as: UTF8.self) == "MSG \(sequence) 1 urn:p 7\r\nb.c 0\r\n\r\n")
        }
    }

    @Test("replies", arguments: [
        ({ @Sendable (buffer: inout [UInt8]) in ReplyEncoder.ok("SUB", number: 7, into: &buffer) }, "+OK SUB 7\r\n"),
        ({ @Sendable (buffer: inout [UInt8]) in ReplyEncoder.ok("REG", into: &buffer) }, "+OK REG\r\n"),
        ({ @Sendable (buffer: inout [UInt8]) in ReplyEncoder.ok("HELLO", "urn:x", "version=1", into: &buffer) },
         "+OK HELLO urn:x version=1\r\n"),
        ({ @Sendable (buffer: inout [UInt8]) in
            ReplyEncoder.error(ProtocolError(.badConcept, "line\r\nbreak"), into: &buffer)
         }, "-ERR bad_concept line  break\r\n"),
        ({ @Sendable (buffer: inout [UInt8]) in ReplyEncoder.profile(version: 1, entries: [.below("res"), .all], into: &buffer) },
         "PROFILE 1 2\r\nres.>\r\n>\r\n"),
        ({ @Sendable (buffer: inout [UInt8]) in
            ReplyEncoder.delta(ProfileDelta(version: 2, added: [.exact("a")], removed: [.below("b")]), into: &buffer)
         }, "DELTA 2 2\r\n+a\r\n-b.>\r\n"),
    ] as [(@Sendable (inout [UInt8]) -> Void, String)])
    func replyBytes(_ write: @Sendable (inout [UInt8]) -> Void, _ expected: String) {
        var buffer: [UInt8] = []
        write(&buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }

    @Test("HELLO lists version, then set options, then others sorted")
    func helloBytes() {
        var hello = Hello(uri: "urn:x", name: "n", acknowledgePublishes: true, leaseSeconds: 0)
        hello.otherOptions = ["b": "2", "a": "1"]
        var buffer: [UInt8] = []
        CommandEncoder.encode(.hello(hello), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "HELLO urn:x version=1 name=n ack=1 lease=0 a=1 b=2\r\n")
    }

    @Test("HELLO percent-encodes the password: every byte outside 0x21-0x7E, and %")
    func passwordBytes() {
        var hello = Hello(uri: "urn:x")
        hello.user = "a"
        hello.password = Array("p w%é".utf8)
        var buffer: [UInt8] = []
        CommandEncoder.encode(.hello(hello), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "HELLO urn:x version=1 user=a password=p%20w%25%C3%A9\r\n")
    }

    @Test("numbers", arguments: [0, 9, 10, 99, 100, 12345, UInt64.max])
    func decimal(_ number: UInt64) {
        var buffer: [UInt8] = []
        CommandEncoder.encode(.acknowledge(version: number), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "ACK \(number)\r\n")
    }
}
