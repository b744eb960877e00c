import BlackboardProtocol
import BlackboardTLS
import BlackboardTestSupport
import BlackboardTransport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A client for tests, plain TCP or TLS (``transport``): sends raw bytes and
/// reads lines or decoded frames, each read bounded by a deadline.
final class RawClient {
    let socket: Socket
    let transport: Transport
    private var pending: [UInt8] = []
    private var decoder = ReplyDecoder()
    private var closed = false

    init(port: UInt16, host: String = "127.0.0.1") throws {
        socket = try Socket.connect(host: host, port: port)
        transport = PlainTransport(socket: socket)
    }

    /// A client over `transport`, whose socket is non-blocking.
    init(transport: Transport) {
        self.socket = Socket(fd: transport.fileDescriptor)
        self.transport = transport
    }

    /// A TLS client of the daemon on 127.0.0.1:`port`, trusting `pki`'s CA and
    /// presenting its client certificate if asked; the handshake runs in the
    /// first send or read.
    static func tls(_ port: UInt16, pki: TestPKI, clientCertificate: Bool = false) throws -> RawClient {
        let socket = try Socket.connect(host: "127.0.0.1", port: port)
        try socket.setNonBlocking()
        var configuration = TLSConfiguration.client(caFile: pki.path("ca.pem"))
        if clientCertificate {
            configuration.certificateChainFile = pki.path("client.pem")
            configuration.privateKeyFile = pki.path("client.key")
        }
        let transport = try TLSTransport(socket: socket, context: TLSContext(configuration), serverName: "localhost")
        return RawClient(transport: transport)
    }

    deinit { transport.close() }

    func send(_ text: String) throws { try send(bytes: Array(text.utf8)) }

    /// Sends all of `bytes`, waiting (bounded) whenever the transport would block.
    func send(bytes: [UInt8], timeout: Double = 5) throws {
        let timeout = scaledTimeout(timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var offset = 0
        while offset < bytes.count {
            let result = bytes[offset...].withUnsafeBytes { transport.write(from: $0) }
            switch result {
            case let .transferred(count): offset += count
            case .wouldBlock:
                if deadline.timeIntervalSinceNow <= 0 { throw TestFailure("send blocked for \(timeout) s") }
                let wanted = transport.writeWaitsForReadable ? Int16(POLLIN) : Int16(POLLOUT)
                var descriptor = pollfd(fd: socket.fd, events: wanted, revents: 0)
                _ = poll(&descriptor, 1, 20)
                if transport.writeWaitsForReadable { _ = try fill(timeout: 0) }
            case .closed: throw TestFailure("connection closed by the broker while sending")
            case let .failed(error): throw TestFailure("send failed: \(error)")
            }
        }
    }

    /// Waits up to `timeout` seconds for input; false on timeout.
    private func fill(timeout: Double) throws -> Bool {
        if closed { throw TestFailure("connection closed by the broker") }
        let events = Int16(POLLIN) | (transport.readWaitsForWritable ? Int16(POLLOUT) : 0)
        var descriptor = pollfd(fd: socket.fd, events: events, revents: 0)
        let ready = poll(&descriptor, 1, Int32(timeout * 1000))
        if ready <= 0 { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let result = buffer.withUnsafeMutableBytes { transport.read(into: $0) }
        switch result {
        case let .transferred(count):
            pending += buffer[..<count]
            decoder.append(contentsOf: buffer[..<count])
            return true
        case .wouldBlock: return true
        case .closed, .failed:
            closed = true
            return false
        }
    }

    /// The next line, without its EOL. Do not mix with ``readReply(timeout:)``.
    func readLine(timeout: Double = 5) throws -> String {
        let timeout = scaledTimeout(timeout)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || closed { throw TestFailure("no line within \(timeout) s (have: \(String(decoding: pending, as: UTF8.self)))") }
            _ = try fill(timeout: left)
        }
    }

    /// The next broker frame. Do not mix with ``readLine(timeout:)``.
    func readReply(timeout: Double = 5) throws -> Reply {
        let timeout = scaledTimeout(timeout)
        return try readReply(before: Date().addingTimeInterval(timeout), "no frame within \(timeout) s")
    }

    /// Frames until one satisfies `match`, skipping PINGs; fails on timeout.
    func readReply(timeout: Double = 5, until match: (Reply) -> Bool) throws -> Reply {
        let timeout = scaledTimeout(timeout)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reply = try readReply(before: deadline, "no matching frame within \(timeout) s")
            if match(reply) { return reply }
        }
    }

    /// The next broker frame, failing with `failure` once `deadline` passes.
    private func readReply(before deadline: Date, _ failure: @autoclosure () -> String) throws -> Reply {
        while true {
            if let reply = try decoder.next() { return reply }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || closed { throw TestFailure(failure()) }
            _ = try fill(timeout: left)
        }
    }

    /// Whether no frame arrives within `timeout` seconds.
    func isSilent(for timeout: Double) throws -> Bool {
        if try decoder.next() != nil { return false }
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            if try fill(timeout: deadline.timeIntervalSinceNow), try decoder.next() != nil { return false }
            if closed { return true }
        }
        return true
    }

    /// Waits until the broker closes the connection; returns the frames not yet read.
    func closedReplies(timeout: Double = 5) throws -> [Reply] {
        _ = try expectClosed(timeout: timeout)
        var replies: [Reply] = []
        while let reply = try? decoder.next() { replies.append(reply) }
        return replies
    }

    /// Waits until the broker closes the connection; returns everything it sent
    /// that ``readLine(timeout:)`` has not consumed (use on a fresh or line-mode client).
    @discardableResult
    func expectClosed(timeout: Double = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while !closed {
            if deadline.timeIntervalSinceNow <= 0 { throw TestFailure("connection still open after \(timeout) s") }
            _ = try fill(timeout: deadline.timeIntervalSinceNow)
        }
        return String(decoding: pending, as: UTF8.self)
    }
}
