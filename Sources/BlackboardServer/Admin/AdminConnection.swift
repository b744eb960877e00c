import BlackboardTransport
import Dispatch

/// One admin HTTP connection: reads one request head, writes one response,
/// closes; over plain TCP or TLS (`tls.admin`). Touched only on the broker's queue.
final class AdminConnection: @unchecked Sendable {
    // @unchecked Sendable: created, read and mutated only on the broker's serial queue.
    let id: UInt64
    let transport: Transport
    /// The head read so far (at most ``HTTPRequestHead/maxHeadBytes`` + one read).
    var received: [UInt8] = []
    /// The response not yet written; nil while still reading.
    var response: [UInt8]?
    var written = 0
    var readSource: DispatchSourceRead?
    var writeSource: DispatchSourceWrite?
    /// Entered once per live source; the descriptor closes when it empties.
    let sources = DispatchGroup()
    var isClosed = false
    /// The client's address, for `admin.metrics_open_on_loopback` and the failure delay.
    var peer: SocketAddress?

    init(id: UInt64, transport: Transport) {
        self.id = id
        self.transport = transport
    }
}
