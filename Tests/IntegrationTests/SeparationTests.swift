import BlackboardCore
import BlackboardProtocol
import Testing

/// Separation, hierarchy entries and ordering, end to end through the real daemon.
@Suite struct SeparationTests {
    @Test func eachSubscriberGetsExactlyTheMatchingPairs() throws {
        let daemon = try Daemon.start()
        let a = try RawClient.hello(daemon.port, "urn:test:a")
        try a.subscribe(["wf:A", "res:CPU"])
        let b = try RawClient.hello(daemon.port, "urn:test:b")
        try b.subscribe(["wf:B"])
        let c = try RawClient.hello(daemon.port, "urn:test:c")
        try c.subscribe(["wf:C"])
        let publisher = try RawClient.hello(daemon.port, "urn:test:pub")

        try publisher.send(pub(("wf:A", "a"), ("wf:B", "b"), ("res:CPU", "99"), ("wf:Other", "x")))
        try publisher.send(pub(("wf:C", "c")))
        try publisher.barrier()

        let toA = try a.nextDelivery()
        #expect(toA.texts == ["wf:A=a", "res:CPU=99"])
        #expect(toA.sequence == 1)
        #expect(toA.publisher == "urn:test:pub")
        #expect(toA.timestamp > 1_700_000_000_000)
        #expect(try b.nextDelivery().texts == ["wf:B=b"])
        // c matched nothing in the first message, so its first delivery is the second message.
        let toC = try c.nextDelivery()
        #expect(toC.texts == ["wf:C=c"])
        #expect(toC.sequence == 1)
    }

    @Test func hierarchyEntriesMatchEveryConceptBelowAndEachPairOnce() throws {
        let daemon = try Daemon.start()
        let s = try RawClient.hello(daemon.port, "urn:test:h")
        // Three entries match notebook.experiment.LinearSolver; it must still arrive once.
        try s.subscribe(["notebook.>", "notebook.experiment.>", "notebook.experiment.LinearSolver"])
        let all = try RawClient.hello(daemon.port, "urn:test:all")
        try all.subscribe([">"])
        let publisher = try RawClient(port: daemon.port)
        try publisher.send(pub(("notebook", "root"), ("notebook.experiment.LinearSolver", "1"),
                               ("notebook.x", "2"), ("notebookish.y", "3")))
        try publisher.barrier()
        #expect(try s.nextDelivery().texts == ["notebook.experiment.LinearSolver=1", "notebook.x=2"])
        #expect(try all.nextDelivery().texts.count == 4)
    }

    @Test func eachPublishersMessagesArriveInOrderWithIncreasingSequence() throws {
        let daemon = try Daemon.start()
        let s = try RawClient.hello(daemon.port, "urn:test:order")
        try s.subscribe(["n"])
        let p1 = try RawClient.hello(daemon.port, "urn:test:p1")
        let p2 = try RawClient.hello(daemon.port, "urn:test:p2")
        let count = 500
        // Pipelined: every publish written without waiting for anything.
        try p1.send((0..<count).map { pub(("n", "p1-\($0)")) }.joined())
        try p2.send((0..<count).map { pub(("n", "p2-\($0)")) }.joined())
        var next = ["urn:test:p1": 0, "urn:test:p2": 0]
        for expectedSequence in 1...(2 * count) {
            let delivery = try s.nextDelivery()
            #expect(delivery.sequence == UInt64(expectedSequence))
            let prefix = delivery.publisher == "urn:test:p1" ? "p1" : "p2"
            #expect(delivery.texts == ["n=\(prefix)-\(next[delivery.publisher]!)"])
            next[delivery.publisher]! += 1
        }
        #expect(next == ["urn:test:p1": count, "urn:test:p2": count])
    }

    @Test func pipelinedCommandsAreAnsweredInOrder() throws {
        let daemon = try Daemon.start()
        let client = try RawClient(port: daemon.port)
        try client.send("HELLO urn:test:pipe ack=1\r\nSUB 1\r\nx\r\nADD 1\r\ny\r\n" + pub(("x", "1")) +
                        "BOGUS\r\nDEL 1\r\nx\r\nPING\r\nUNSUB\r\n")
        #expect(try client.readReply().isOK("HELLO"))
        #expect(try client.readReply() == .ok(verb: "SUB", arguments: ["1"]))
        #expect(try client.readReply() == .ok(verb: "ADD", arguments: ["2"]))
        // It subscribed to x itself, so its own publish comes back, before the PUB ack.
        #expect(try client.nextDelivery().texts == ["x=1"])
        #expect(try client.readReply() == .ok(verb: "PUB", arguments: ["1"]))
        #expect(try client.readReply().errorCode == "unknown_verb")
        #expect(try client.readReply() == .ok(verb: "DEL", arguments: ["3"]))
        #expect(try client.readReply() == .pong)
        #expect(try client.readReply() == .ok(verb: "UNSUB", arguments: ["4"]))
    }

    @Test func thePapersLargestMessageIsSeparatedWithDefaultLimits() throws {
        // Seed 004 §5.2: 10 subscribers of 1,000 non-overlapping concepts each, and one
        // message of 10,000 pairs of 100-byte values (1 MB).
        let daemon = try Daemon.start()
        let subscribers = try (0..<10).map { s in
            let client = try RawClient.hello(daemon.port, "urn:test:worst:\(s)")
            try client.subscribe((0..<1_000).map { "c\(s * 1_000 + $0)" })
            return client
        }
        let value = { (i: Int) in String(repeating: String(i % 10), count: 100) }
        var message = "PUB 10000\r\n"
        for i in 0..<10_000 { message += "c\(i) 100\r\n\(value(i))\r\n" }
        #expect(message.utf8.count > 1_000_000)
        let publisher = try RawClient(port: daemon.port)
        try publisher.send(message)
        for (s, subscriber) in subscribers.enumerated() {
            let delivery = try subscriber.nextDelivery(timeout: 20)
            let expected = (0..<1_000).map { "c\(s * 1_000 + $0)=\(value(s * 1_000 + $0))" }
            #expect(delivery.texts == expected)
        }
    }

    @Test func binaryValuesPassThroughUnchanged() throws {
        let daemon = try Daemon.start()
        let s = try RawClient.hello(daemon.port, "urn:test:bin")
        try s.subscribe(["blob"])
        let value: [UInt8] = [0, 13, 10, 255, 0x2D, 0x45, 0x52, 0x52, 13, 10]
        let publisher = try RawClient(port: daemon.port)
        try publisher.send(bytes: Array("PUB 1\r\nblob \(value.count)\r\n".utf8) + value + Array("\r\n".utf8))
        #expect(try s.nextDelivery().pairs == [Pair("blob", value)])
    }
}
