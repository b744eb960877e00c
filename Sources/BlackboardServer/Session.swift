import BlackboardCore
import BlackboardProtocol
import BlackboardTransport
import Dispatch

/// One client connection: its transport, decoder, pending output and role.
///
/// Sessions belong to their ``Broker`` and are touched only on the broker's
/// queue; the session never parses bytes itself (its decoder does) and never
/// decides policy (the broker does).
final class Session: @unchecked Sendable {
    // @unchecked Sendable: a session is created, read and mutated only on its
    // broker's serial queue; closures that capture it are scheduled on that queue.
    /// Where a session is in its life.
    enum State: Equatable {
        /// Reading and executing commands.
        case open
        /// Waiting for publishers to catch up with `version` (`SYNC`); reading is
        /// paused until then, and `token` identifies this wait for its timer.
        case syncing(version: UInt64, token: UInt64)
        /// Waiting for the credentials of its `HELLO` to be checked (Broker+Auth.swift);
        /// reading is paused until then.
        case authenticating
        /// No more input is read; output drains, then the connection closes.
        case closing(ClosedReason)
        /// Gone.
        case closed
    }

    /// The identity of a connection that does not say `HELLO` is this prefix and
    /// its connection number; no `HELLO` may claim it.
    static let generatedURIPrefix = "urn:blackboard:conn:"

    /// Connection number, from 1.
    let id: UInt64
    let transport: Transport
    let peer: SocketAddress
    var state: State = .open
    var decoder: CommandDecoder

    /// The client's identity: from `HELLO`, or generated.
    var uri: String
    /// `uri` as bytes, written into every delivery this client publishes.
    var uriBytes: [UInt8] {
        didSet { stampTime = .max }
    }
    var name: String?
    var saidHello = false
    var executedCommand = false
    var acknowledgesPublishes = false
    /// What the client may do (Broker+Auth.swift); `.unrestricted` when auth is off.
    var access: AccessState = .unrestricted
    /// Seconds the registrations of this client outlive its connection, as
    /// granted at `HELLO` (0: they end with it; see Broker+Leases.swift).
    var leaseSeconds: UInt32 = 0
    /// When the connection was accepted (epoch ms), for the admin listings.
    let connectedAt: UInt64
    /// Messages this client published, and deliveries it was sent.
    var messagesPublished: UInt64 = 0
    var deliveries: UInt64 = 0

    /// The subscriber slot this connection's profile occupies, if it subscribed.
    var subscriber: SubscriberID?
    /// Whether this connection is a registered publisher.
    var isPublisher = false
    /// The aggregate version that includes this client's last profile change.
    var profileVersion: UInt64 = 0
    /// Deliveries sent so far, spelled out; the next `MSG` carries one more.
    var sequence = SequenceCounter()

    /// ` uri ts CRLF` of this publisher's deliveries at `stampTime`
    /// (``MessageFrame``): spelled once per read, not once per message.
    private var stampBytes: [UInt8] = []
    private var stampTime: UInt64 = .max

    /// Bytes waiting to be written.
    var output = OutputBuffer()
    /// Listed in the broker's dirty list, to be flushed at the end of the batch.
    var isDirty = false
    /// When output first failed to drain completely (monotonic ns), if it hasn't since.
    var unwritableSince: UInt64?

    /// When the broker accepted the connection (monotonic ns): the TLS handshake deadline counts from here.
    let admittedAt: UInt64
    /// Last time input arrived (monotonic ns).
    var lastInput: UInt64
    var outstandingPings = 0

    var readSource: DispatchSourceRead?
    /// Made on first need (``Broker/makeWriteSource(for:)``); suspended while `writeSourceActive` is false.
    var writeSource: DispatchSourceWrite?
    /// Entered once per live source; the descriptor closes when it empties.
    let sources = DispatchGroup()
    var writeSourceActive = false
    var readSourceActive = true

    init(id: UInt64, transport: Transport, peer: SocketAddress, limits: Limits, now: UInt64) {
        self.id = id
        self.transport = transport
        self.peer = peer
        self.decoder = CommandDecoder(limits: limits)
        self.uri = Session.generatedURIPrefix + String(id)
        self.uriBytes = Array(uri.utf8)
        self.lastInput = now
        self.admittedAt = now
        self.connectedAt = Clock.epochMilliseconds()
    }

    /// The stamp of deliveries of this client's messages read at `timestamp`.
    func stamp(at timestamp: UInt64) -> [UInt8] {
        if timestamp != stampTime {
            stampTime = timestamp
            stampBytes = uriBytes.withUnsafeBytes { uri in
                [UInt8](unsafeUninitializedCapacity: MessageFrame.stampCapacity(publisher: uri.count)) {
                    $1 = MessageFrame.encodeStamp(publisher: uri, timestamp: timestamp, into: $0.baseAddress!)
                }
            }
        }
        return stampBytes
    }

    /// Bytes queued and not yet written.
    var pendingBytes: Int { output.pending }

    var isOpen: Bool {
        switch state {
        case .open, .syncing, .authenticating: return true
        case .closing, .closed: return false
        }
    }
}
