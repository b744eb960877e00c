import BlackboardCore
import BlackboardProtocol
import Dispatch

/// Everything a ``Session`` changes, guarded by the session's one lock. One lock
/// for all of it is deliberate: a publish must read the profile and append to
/// the output in one step, so that no `PUB` filtered with an old profile can
/// follow the `ACK` of a newer one (which would break `SYNC`'s promise).
struct SessionState: Sendable {
    /// Where the session is in its life.
    enum Phase {
        /// The first connection is being opened.
        case connecting
        /// Connected; the handshake may still be under way.
        case connected(Link)
        /// The connection was lost; a connector thread is trying again. Output
        /// and requests queue up and are sent after the handshake.
        case reconnecting
        /// `QUIT` is queued; waiting for `+OK QUIT` or the end of the stream.
        case closing(Link)
        /// Done; ``SessionState/closeError`` says why when it was not `close()`.
        case closed
    }

    let configuration: ClientConfiguration
    /// Whether the session registers as a publisher and filters by the profile.
    let registers: Bool
    let deliveries: AsyncThrowingStream<Delivery, any Error>.Continuation
    let connectorStop: DispatchSemaphore
    let producerGate: DispatchSemaphore

    var phase = Phase.connecting
    var closeError: ClientError?
    /// A fatal `-ERR` the broker sent on the current link before closing it.
    var serverNotice: (code: String, message: String)?
    var nextGeneration: UInt64 = 1
    var handshakeComplete = false
    var startWaiter: CheckedContinuation<Void, any Error>?
    var closeWaiters: [CheckedContinuation<Void, Never>] = []

    /// Whole frames not yet taken by the writer.
    var output: [UInt8] = []
    /// Stream positions: bytes ever queued, and bytes written or given up.
    var enqueuedBytes: UInt64 = 0
    var settledBytes: UInt64 = 0
    var writerIdle = false
    var blockedProducers = 0
    var flushWaiters: [(target: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    var pending = FIFOQueue<PendingReply>()

    var profile = ConceptFilter()
    var profileVersion: UInt64 = 0
    var hasProfile = false
    var profileObservers: [Int: AsyncThrowingStream<ProfileUpdate, any Error>.Continuation] = [:]
    var nextObserverID = 0
    var publisherStatistics = PublisherStatistics()

    /// The subscriber's profile as the broker confirmed it (`nil`: not a subscriber).
    var subscription: Set<ProfileEntry>?
    var subscriptionVersion: UInt64 = 0
    var reconnects: UInt64 = 0
    /// Keepalive `PING`s queued, and the `PONG`s that answered them.
    var keepalivePingsSent: UInt64 = 0
    var keepalivePingsAnswered: UInt64 = 0

    init(
        configuration: ClientConfiguration, registers: Bool,
        deliveries: AsyncThrowingStream<Delivery, any Error>.Continuation,
        connectorStop: DispatchSemaphore, producerGate: DispatchSemaphore
    ) {
        self.configuration = configuration
        self.registers = registers
        self.deliveries = deliveries
        self.connectorStop = connectorStop
        self.producerGate = producerGate
    }

    /// The link of the current connection, while there is one.
    var currentLink: Link? {
        switch phase {
        case let .connected(link), let .closing(link): return link
        case .connecting, .reconnecting, .closed: return nil
        }
    }

    /// Why a new command is refused, or `nil` when it may be queued.
    var refusal: ClientError? {
        switch phase {
        case .closed: return closeError ?? .closed
        case .closing: return .closed
        case .connecting, .connected, .reconnecting: return nil
        }
    }

    /// Bytes queued and not yet written (including a batch being written).
    var pendingBytes: UInt64 { enqueuedBytes - settledBytes }

    /// Appends `command` to the output; returns the writer wake-up if needed.
    mutating func enqueue(_ command: Command) -> [Effect] {
        let before = output.count
        CommandEncoder.encode(command, into: &output)
        enqueuedBytes += UInt64(output.count - before)
        return wakeWriter()
    }

    /// Wakes the current link's writer if it sleeps.
    mutating func wakeWriter() -> [Effect] {
        guard writerIdle, let link = currentLink else { return [] }
        writerIdle = false
        return [{ link.wake.signal() }]
    }

    /// Lets every producer blocked on the output limit try again.
    mutating func releaseProducers() -> [Effect] {
        let count = blockedProducers
        guard count > 0 else { return [] }
        blockedProducers = 0
        let gate = producerGate
        return [{ for _ in 0..<count { gate.signal() } }]
    }
}
