import BlackboardTLS
import BlackboardTransport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One end of a TLS connection under test: bytes it still has to send, bytes
/// it received, and how its stream ended, if it did.
final class TLSEnd {
    let transport: TLSTransport
    var outgoing: [UInt8] = []
    var received: [UInt8] = []
    /// `.closed` or `.failed`, once the stream ended.
    var ending: IOResult?
    /// A read had to wait for writability (its handshake output did not fit in the socket).
    var sawReadWaitingForWritable = false
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)

    init(_ transport: TLSTransport) { self.transport = transport }

    /// Tries one read and (if anything is pending, or nothing has been sent yet
    /// to start a handshake) one write; true if anything moved.
    func step() -> Bool {
        guard ending == nil else { return false }
        var progressed = false
        let wasHandshaking = transport.isHandshaking
        let result = buffer.withUnsafeMutableBytes { transport.read(into: $0) }
        switch result {
        case let .transferred(count):
            received += buffer[..<count]
            progressed = true
        case .wouldBlock:
            if transport.readWaitsForWritable { sawReadWaitingForWritable = true }
        case .closed, .failed:
            ending = result
            return true
        }
        if !outgoing.isEmpty {
            switch outgoing.withUnsafeBytes({ transport.write(from: $0) }) {
            case let .transferred(count):
                outgoing.removeFirst(count)
                progressed = true
            case .wouldBlock: break
            case let other:
                ending = other
                return true
            }
        }
        return progressed || wasHandshaking != transport.isHandshaking
    }
}

/// Drives `ends` until `condition` holds; waits in poll() when nothing moved,
/// never sleeps. Throws if `seconds` pass first.
func pump(_ ends: [TLSEnd], seconds: Double = 5, until condition: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline {
            throw PumpTimeout(states: ends.map { "handshaking=\($0.transport.isHandshaking) ending=\(String(describing: $0.ending)) received=\($0.received.count) outgoing=\($0.outgoing.count)" })
        }
        var progressed = false
        for end in ends where end.step() { progressed = true }
        if !progressed {
            var fds = ends.map {
                pollfd(fd: $0.transport.fileDescriptor,
                       events: Int16(POLLIN) | ($0.outgoing.isEmpty && !$0.transport.readWaitsForWritable ? 0 : Int16(POLLOUT)),
                       revents: 0)
            }
            _ = poll(&fds, nfds_t(fds.count), 20)
        }
    }
}

struct PumpTimeout: Error, CustomStringConvertible {
    let states: [String]
    var description: String { "timed out: " + states.joined(separator: " | ") }
}

/// A connected pair of non-blocking stream sockets.
func socketPair() throws -> (Socket, Socket) {
    var fds: [Int32] = [0, 0]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
        throw SocketError("socketpair", code: errno)
    }
    let pair = (Socket(fd: fds[0]), Socket(fd: fds[1]))
    try pair.0.setNonBlocking()
    try pair.1.setNonBlocking()
    return pair
}

/// A server and a client end over a socket pair.
func connectedEnds(server: TLSConfiguration, client: TLSConfiguration,
                   serverName: String? = "localhost") throws -> (server: TLSEnd, client: TLSEnd) {
    let (a, b) = try socketPair()
    let serverEnd = TLSEnd(try TLSTransport(socket: a, context: try TLSContext(server)))
    let clientEnd = TLSEnd(try TLSTransport(socket: b, context: try TLSContext(client), serverName: serverName))
    return (serverEnd, clientEnd)
}
