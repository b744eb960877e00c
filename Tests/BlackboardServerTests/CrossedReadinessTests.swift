@testable import BlackboardServer
import BlackboardProtocol
import BlackboardTransport
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The broker's side of crossed readiness (Transport, Broker+IO.swift), with a
/// scripted transport standing in for TLS, which can't be made to cross on
/// loopback TCP at will: its first read swallows everything the socket holds
/// and reports that it must write before it can return it, as `SSL_read` does
/// when its handshake output did not fit. The socket is then empty, so only
/// the write source can get the read retried.
@Suite struct CrossedReadinessTests {
    final class ReadNeedsWriteFirst: Transport {
        let plain: PlainTransport
        private var stash: [UInt8] = []
        private var crossed = false
        private(set) var readWaitsForWritable = false

        init(_ socket: Socket) { plain = PlainTransport(socket: socket) }

        var fileDescriptor: Int32 { plain.fileDescriptor }

        func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
            if !crossed {
                var chunk = [UInt8](repeating: 0, count: 4096)
                let result = chunk.withUnsafeMutableBytes { plain.read(into: $0) }
                guard case let .transferred(count) = result else { return result }
                stash = Array(chunk[..<count])
                crossed = true
                readWaitsForWritable = true
                return .wouldBlock
            }
            readWaitsForWritable = false
            if stash.isEmpty { return plain.read(into: buffer) }
            let count = min(stash.count, buffer.count)
            buffer.copyBytes(from: stash[..<count])
            stash.removeFirst(count)
            return .transferred(count)
        }

        func write(from buffer: UnsafeRawBufferPointer) -> IOResult { plain.write(from: buffer) }
        func close() { plain.close() }
    }

    @Test func aReadThatMustWriteFirstIsRetriedWhenTheSocketTurnsWritable() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let broker = Broker(configuration: configuration, logger: logger)
        _ = try broker.start()
        defer { broker.shutdown {} }

        let (listener, address) = try Listener.listen(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try Socket.connect(host: "127.0.0.1", port: address.port)
        defer { client.close() }
        var descriptor = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 5_000) == 1)
        let (server, peer) = try #require(try listener.accept())
        // The command is in the socket before the broker first reads it.
        try Array("PING\r\n".utf8).withUnsafeBytes { try client.writeAll($0) }
        broker.queue.sync { broker.admit(ReadNeedsWriteFirst(server), peer: peer) }

        var decoder = ReplyDecoder()
        var reply: Reply?
        while reply == nil {
            var readable = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&readable, 1, 5_000) == 1 else { throw SocketError("poll", code: ETIMEDOUT) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            guard case let .transferred(count) = buffer.withUnsafeMutableBytes({ client.read(into: $0) }) else {
                throw SocketError("read", code: ECONNRESET)
            }
            decoder.append(contentsOf: buffer[..<count])
            reply = try decoder.next()
        }
        #expect(reply == .pong)
    }
}
