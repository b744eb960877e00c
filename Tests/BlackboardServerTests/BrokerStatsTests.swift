import BlackboardProtocol
import BlackboardServer
import BlackboardTransport
import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The broker in-process, on a real loopback socket, to check the counters
/// that the admin port will expose.
@Suite struct BrokerStatsTests {
    /// A blocking connection that reads decoded frames with a deadline.
    final class Connection {
        let socket: Socket
        var decoder = ReplyDecoder()

        init(_ address: SocketAddress) throws {
            socket = try Socket.connect(host: address.host, port: address.port)
        }

        deinit { socket.close() }

        func send(_ text: String) throws {
            try Array(text.utf8).withUnsafeBytes { try socket.writeAll($0) }
        }

        func next(timeout: Int32 = 5_000) throws -> Reply {
            while true {
                if let reply = try decoder.next() { return reply }
                var descriptor = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, timeout) == 1 else { throw SocketError("poll", code: ETIMEDOUT) }
                var buffer = [UInt8](repeating: 0, count: 65_536)
                guard case let .transferred(count) = buffer.withUnsafeMutableBytes({ socket.read(into: $0) }) else {
                    throw SocketError("read", code: ECONNRESET)
                }
                decoder.append(contentsOf: buffer[..<count])
            }
        }
    }

    private func startBroker(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) throws -> (Broker, SocketAddress) {
        var configuration = ServerConfiguration()
        configuration.port = 0
        adjust(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let broker = Broker(configuration: configuration, logger: logger)
        return (broker, try broker.start())
    }

    @Test func deliveriesAndFilteredPairsAreCounted() throws {
        let (broker, address) = try startBroker()
        defer { broker.shutdown {} }
        let subscriber = try Connection(address)
        try subscriber.send("SUB 1\r\nwanted\r\n")
        #expect(try subscriber.next() == .ok(verb: "SUB", arguments: ["1"]))
        let publisher = try Connection(address)
        try publisher.send("PUB 3\r\nwanted 1\r\na\r\nunwanted 1\r\nb\r\nalso.unwanted 1\r\nc\r\nPUB 1\r\nnobody 1\r\nx\r\nPING\r\n")
        #expect(try publisher.next() == .pong)
        #expect(try subscriber.next().isMessage)
        let stats = broker.statistics()
        #expect(stats.messagesIn == 2)
        #expect(stats.pairsIn == 4)
        #expect(stats.pairsFiltered == 3)
        #expect(stats.deliveries == 1)
        #expect(stats.pairsOut == 1)
        #expect(stats.connectionsTotal == 2)
    }

    @Test func protocolErrorsAreCountedByCode() throws {
        let (broker, address) = try startBroker()
        defer { broker.shutdown {} }
        let client = try Connection(address)
        try client.send("NOPE\r\nNOPE\r\nACK 1\r\nPING\r\n")
        for _ in 0..<3 { _ = try client.next() }
        #expect(try client.next() == .pong)
        let stats = broker.statistics()
        #expect(stats.protocolErrors[.unknownVerb] == 2)
        #expect(stats.protocolErrors[.notPublisher] == 1)
    }

    @Test func aSlowConsumerIsCountedOnce() throws {
        let (broker, address) = try startBroker { $0.maxPendingBytes = 64 << 10 }
        defer { broker.shutdown {} }
        let slow = try Connection(address)
        try slow.send("SUB 1\r\nx\r\n")
        #expect(try slow.next() == .ok(verb: "SUB", arguments: ["1"]))
        let publisher = try Connection(address)
        let value = String(repeating: "z", count: 60_000)
        var sent = 0
        // Publish until the broker cuts the non-reading subscriber off (bounded).
        while broker.statistics().slowConsumerDisconnects == 0 && sent < 2_000 {
            try publisher.send("PUB 1\r\nx \(value.utf8.count)\r\n\(value)\r\nPING\r\n")
            #expect(try publisher.next() == .pong)
            sent += 1
        }
        #expect(broker.statistics().slowConsumerDisconnects == 1)
        #expect(broker.statistics().protocolErrors[.slowConsumer] == 1)
    }
}

extension Reply {
    var isMessage: Bool {
        if case .message = self { return true }
        return false
    }
}
