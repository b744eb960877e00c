import BlackboardClient
import BlackboardTransport
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The monitor's HTTP/1.1 port: one `GET` per connection, answered and closed.
///
/// An accept thread waits in `poll` on the listening socket and on a wake-up pipe
/// (written by ``stop()``). Each accepted connection is served on a Dispatch worker:
/// the whole head must arrive within ``timeout`` (else `408`) and within
/// ``HTTPRequest/maxHeadBytes`` (else `431`), and the answer must be taken within
/// ``timeout`` too (else the connection is dropped). At most ``maxConnections`` are
/// served at once; one more is answered `503` at once. Robust rather than fast: the
/// answers are small and the clients few (the CLI, a dashboard, a scraper).
public final class MonitorHTTPServer: Sendable {
    /// Connections served at once.
    public static let maxConnections = 32
    /// How long a client may take to send its head, and to take the answer.
    public static let timeout: Duration = .seconds(5)

    /// The address bound (port 0 gives a free port; read it here).
    public let address: SocketAddress
    private let listener: Socket
    /// The wake-up pipe: read end polled by the accept thread, write end written by `stop()`.
    private let wake: (read: Int32, write: Int32)
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let active = Locked(0)
    private let phase = Locked(Phase.bound)
    private let acceptDone = DispatchSemaphore(value: 0)

    /// Binds `host:port` and listens; call ``start()`` to serve.
    public init(host: String, port: UInt16, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws(SocketError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SocketError("pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        do {
            (listener, address) = try Listener.listen(host: host, port: port, backlog: 64)
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        wake = (fds[0], fds[1])
        self.handler = handler
    }

    /// Where the server is in its life.
    private enum Phase { case bound, serving, stopped }

    /// Starts the accept thread (once).
    public func start() {
        let first = phase.withLock { phase in
            guard phase == .bound else { return false }
            phase = .serving
            return true
        }
        guard first else { return }
        Thread.detachNewThread { [self] in
            acceptLoop()
            acceptDone.signal()
        }
    }

    /// Stops accepting, waits for the accept thread and closes the listener.
    /// Connections being served finish on their own (bounded by ``timeout``). Idempotent.
    public func stop() {
        let previous = phase.withLock { phase in
            defer { phase = .stopped }
            return phase
        }
        guard previous != .stopped else { return }
        if previous == .serving {
            var byte: UInt8 = 1
            _ = write(wake.write, &byte, 1)
            acceptDone.wait()
        }
        listener.close()
        close(wake.read)
        close(wake.write)
    }

    private func acceptLoop() {
        while true {
            var descriptors = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 || descriptors[1].revents != 0 { return }
            while true {
                let accepted: (Socket, SocketAddress)?
                do {
                    accepted = try listener.accept()
                } catch {
                    // Out of descriptors or similar: give it a moment rather than spin on poll.
                    var pause = pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)
                    _ = poll(&pause, 1, 100)
                    break
                }
                guard let (client, _) = accepted else { break }
                admit(client)
            }
        }
    }

    private func admit(_ client: Socket) {
        let admitted = active.withLock { count in
            guard count < Self.maxConnections else { return false }
            count += 1
            return true
        }
        guard admitted else {
            _ = HTTPResponse(.busy).bytes.withUnsafeBytes { client.write(from: $0) }
            client.close()
            return
        }
        DispatchQueue.global().async { [self] in
            serve(client)
            client.close()
            active.withLock { $0 -= 1 }
        }
    }

    /// Reads one head, answers it, shuts the connection down. Runs on a Dispatch worker.
    private func serve(_ client: Socket) {
        let deadline = ContinuousClock.now + Self.timeout
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var response: HTTPResponse?
        while response == nil {
            switch HTTPRequest.parse(received) {
            case let .request(request): response = handler(request); continue
            case let .failure(failure): response = HTTPResponse(failure); continue
            case .incomplete: break
            }
            guard Self.wait(client, for: POLLIN, until: deadline) else {
                response = HTTPResponse(.timeout)
                break
            }
            switch chunk.withUnsafeMutableBytes({ client.read(into: $0) }) {
            case let .transferred(count): received += chunk[..<count]
            case .wouldBlock: continue
            case .closed, .failed: return
            }
        }
        guard let bytes = response?.bytes else { return }
        var offset = 0
        while offset < bytes.count {
            switch bytes[offset...].withUnsafeBytes({ client.write(from: $0) }) {
            case let .transferred(count): offset += count
            case .wouldBlock: if !Self.wait(client, for: POLLOUT, until: deadline) { return }
            case .closed, .failed: return
            }
        }
        client.shutdownWrite()
        discardInput(client)
    }

    /// Reads and drops what the client still sends (up to 64 KiB, for up to a second)
    /// before the caller closes: closing with unread input sends a reset, which can
    /// destroy the answer before the client has read it (a refused oversized head).
    private static let lingerBytes = 65_536

    private func discardInput(_ client: Socket) {
        let deadline = ContinuousClock.now + .seconds(1)
        var chunk = [UInt8](repeating: 0, count: 4096)
        var discarded = 0
        while discarded < Self.lingerBytes, Self.wait(client, for: POLLIN, until: deadline) {
            switch chunk.withUnsafeMutableBytes({ client.read(into: $0) }) {
            case let .transferred(count): discarded += count
            case .wouldBlock: continue
            case .closed, .failed: return
            }
        }
    }

    /// Waits until `socket` is ready for `event`; false when `deadline` passes first.
    private static func wait(_ socket: Socket, for event: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: socket.fd, events: Int16(event), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }
}
