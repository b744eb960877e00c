import BlackboardTestSupport
import BlackboardTLS
import BlackboardTransport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// ``TLSClientStream`` with a reader and a writer thread at once, against a
/// server ``TLSTransport`` echoing on a thread of its own.
@Suite("TLSClientStream")
struct TLSClientStreamTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.shared() }

    var server: TLSConfiguration {
        .server(certificateChainFile: pki.path("server.pem"), privateKeyFile: pki.path("server.key"))
    }

    /// A server end that echoes everything it reads until `total` bytes went
    /// back, on its own thread; `done` is signalled when it stops.
    final class EchoServer: @unchecked Sendable {
        // @unchecked Sendable: `transport` is used only by the server thread
        // once started, and `failure` read only after `done` is signalled.
        let transport: TLSTransport
        let done = DispatchSemaphore(value: 0)
        var failure: String?

        init(_ transport: TLSTransport) { self.transport = transport }

        func start(echoing total: Int) {
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                var pending: [UInt8] = []
                var echoed = 0
                var buffer = [UInt8](repeating: 0, count: 64 << 10)
                while echoed < total {
                    switch buffer.withUnsafeMutableBytes({ transport.read(into: $0) }) {
                    case let .transferred(count): pending += buffer[..<count]
                    case .wouldBlock: break
                    case let other:
                        failure = "read: \(other)"
                        return
                    }
                    if !pending.isEmpty {
                        switch pending.withUnsafeBytes({ transport.write(from: $0) }) {
                        case let .transferred(count):
                            pending.removeFirst(count)
                            echoed += count
                        case .wouldBlock: break
                        case let other:
                            failure = "write: \(other)"
                            return
                        }
                    }
                    var descriptor = pollfd(fd: transport.fileDescriptor,
                                            events: Int16(POLLIN) | (pending.isEmpty ? 0 : Int16(POLLOUT)), revents: 0)
                    _ = poll(&descriptor, 1, 20)
                }
            }
        }
    }

    /// A client stream and an echo server over a socket pair.
    func pair(client: TLSConfiguration, serverName: String = "localhost", verifiesHostName: Bool = true,
              receiveTimeout: Duration? = nil) throws -> (TLSClientStream, EchoServer) {
        let (a, b) = try socketPair()
        let echo = EchoServer(try TLSTransport(socket: a, context: TLSContext(server)))
        let stream = try TLSClientStream(socket: b, context: TLSContext(client), serverName: serverName,
                                         verifiesHostName: verifiesHostName, receiveTimeout: receiveTimeout)
        return (stream, echo)
    }

    @Test func aWriterThreadAndAReaderThreadShareTheStream() throws {
        let (stream, echo) = try pair(client: .client(caFile: pki.path("ca.pem")))
        let total = 3 << 20
        echo.start(echoing: total)
        try stream.handshake(deadline: .now + .seconds(10))
        #expect(stream.protocolVersion == "TLSv1.3")
        let sent = (0..<total).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let writerDone = DispatchSemaphore(value: 0)
        let writeFailure = Locked<String?>(nil)
        // The writer sends everything while this thread reads the echo: the
        // socket buffers fill both ways, so each waits on the other.
        Thread.detachNewThread {
            defer { writerDone.signal() }
            var offset = 0
            while offset < sent.count {
                let end = min(offset + 100_000, sent.count)
                do {
                    try sent[offset..<end].withUnsafeBytes { try stream.writeAll($0) }
                } catch {
                    writeFailure.set("\(error)")
                    return
                }
                offset = end
            }
        }
        var received: [UInt8] = []
        received.reserveCapacity(total)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        reading: while received.count < total {
            switch stream.read(into: buffer) {
            case let .transferred(count): received += buffer[..<count]
            case let other:
                Issue.record("read ended with \(other)")
                break reading
            }
        }
        writerDone.wait()
        echo.done.wait()
        stream.close()
        #expect(writeFailure.get() == nil)
        #expect(echo.failure == nil)
        #expect(received == sent)
    }

    @Test func aReadReturnsWouldBlockWhenTheReceiveTimeoutPasses() throws {
        let (stream, echo) = try pair(client: .client(caFile: pki.path("ca.pem")), receiveTimeout: .milliseconds(50))
        echo.start(echoing: 1)
        try stream.handshake(deadline: .now + .seconds(10))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        #expect(stream.read(into: buffer) == .wouldBlock)
        try Array("x".utf8).withUnsafeBytes { try stream.writeAll($0) }
        #expect(stream.read(into: buffer) == .transferred(1))
        echo.done.wait()
        stream.close()
    }

    @Test(arguments: [
        ("other-ca.pem", "localhost", true, "certificate verify failed (unable to get local issuer certificate)"),
        ("ca.pem", "blackboard.example", true, "certificate verify failed (hostname mismatch)"),
        ("ca.pem", "blackboard.example", false, nil),
        ("ca.pem", "127.0.0.2", false, nil),
    ] as [(String, String, Bool, String?)])
    func theHandshakeChecksTheChainAndTheName(ca: String, name: String, checksName: Bool, expected: String?) throws {
        let (stream, echo) = try pair(client: .client(caFile: pki.path(ca)), serverName: name,
                                      verifiesHostName: checksName)
        echo.start(echoing: 1)
        defer {
            stream.close()
            echo.done.wait()
        }
        do {
            try stream.handshake(deadline: .now + .seconds(10))
            #expect(expected == nil)
            try Array("x".utf8).withUnsafeBytes { try stream.writeAll($0) }
        } catch let error as TLSError {
            #expect(error.operation == "TLS handshake")
            #expect(expected.map { error.message.contains($0) } == true, "\(error)")
        }
    }

    @Test func aPeerThatIsNotTLSFailsTheHandshakeAtOnce() throws {
        let (a, b) = try socketPair()
        defer { a.close() }
        let stream = try TLSClientStream(socket: b, context: TLSContext(.client(caFile: pki.path("ca.pem"))),
                                         serverName: "localhost")
        defer { stream.close() }
        Array("-ERR not TLS\r\n".utf8).withUnsafeBytes { _ = a.write(from: $0) }
        a.shutdownWrite()
        #expect(throws: TLSError.self) { try stream.handshake(deadline: .now + .seconds(10)) }
    }

    @Test func aSilentPeerTimesTheHandshakeOut() throws {
        let (a, b) = try socketPair()
        defer { a.close() }
        let stream = try TLSClientStream(socket: b, context: TLSContext(.client(caFile: pki.path("ca.pem"))),
                                         serverName: "localhost")
        defer { stream.close() }
        let error = #expect(throws: TLSError.self) { try stream.handshake(deadline: .now + .milliseconds(50)) }
        #expect(error?.message.contains("no answer") == true)
    }
}

/// A value behind a lock, for the writer thread's verdict.
final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
