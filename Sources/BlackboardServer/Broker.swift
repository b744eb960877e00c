import BlackboardCore
import BlackboardProtocol
import BlackboardStorage
import BlackboardTLS
import BlackboardTransport
import Dispatch
import Logging

/// Why ``Broker/start()`` failed.
public enum StartError: Error, CustomStringConvertible {
    /// The data directory could not be opened or loaded (the error names the file and offset).
    case storage(StorageError)
    /// A listener could not be bound.
    case listen(SocketError)
    /// The TLS certificate, key or CA bundle could not be loaded, or a TLS setting is invalid.
    case tls(TLSError)
    /// A setting refuses what the rest asks for (`listen.plain_loopback_only` with a plain listener elsewhere).
    case insecure(String)

    public var description: String {
        switch self {
        case let .storage(error): return "data directory: \(error)"
        case let .listen(error): return "listen: \(error)"
        case let .tls(error): return "tls: \(error)"
        case let .insecure(text): return text
        }
    }
}

/// The broker: accepts connections, runs their commands against the
/// ``Blackboard`` state, and writes replies, deliveries and profile pushes.
///
/// Queue model: one serial queue owns everything. Every socket event, timer and
/// public call runs on `queue`, so the broker needs no locks, and a subscriber
/// sees each publisher's messages in the order the broker read them. Writes are
/// coalesced: commands append to the sessions' output buffers and mark them
/// dirty, and each read event ends with one write per dirty session.
public final class Broker: @unchecked Sendable {
    // @unchecked Sendable: all mutable state below is touched only on `queue`.

    /// What the broker serves; changed only by ``reconfigure(_:)``, on `queue`.
    var configuration: ServerConfiguration
    let logger: Logger
    let queue = DispatchQueue(label: "blackboard.broker")

    var blackboard = Blackboard()
    var stats = BrokerStats()
    /// Open sessions by connection id.
    var sessions: [UInt64: Session] = [:]
    /// Open sessions by URI, to find a connection that a `HELLO` takes over.
    var sessionsByURI: [String: Session] = [:]
    /// The session of each subscriber slot (nil: no live connection). Unowned:
    /// a slot is cleared before its session leaves `sessions`, which owns it,
    /// and the publish path then reaches subscribers without reference counting.
    var subscriberSessions: [Unmanaged<Session>?] = []
    /// Registered publishers' sessions, by connection id.
    var publisherSessions: [UInt64: Session] = [:]
    /// Sessions waiting in `SYNC`, by connection id.
    var syncWaiters: [UInt64: Session] = [:]
    /// Sessions with output to flush at the end of the current batch.
    var dirty: [Session] = []
    var nextConnectionID: UInt64 = 0
    var nextSyncToken: UInt64 = 0

    /// When the bytes being executed were read (epoch ms): the `ts` of deliveries.
    var receiveTime: UInt64 = 0
    /// Where cold-path replies are encoded before they join a session's output.
    var replyScratch: [UInt8] = []
    /// One read buffer for all sessions: reads land here and are handed to the
    /// session's decoder, so an idle connection holds no read buffer.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    /// The open data directory (Broker+Persistence.swift); nil when nothing is persisted.
    var storage: DataDirectory?
    /// Why the data directory stopped taking records; cleared by the next snapshot that succeeds.
    var storageFailure: String?
    /// Records were appended since the last ``commitJournal()``, which runs before
    /// any output leaves (under `fsync = always`, their fsync).
    var journalNeedsCommit = false
    var fsyncTimer: DispatchSourceTimer?
    /// Leased registrations whose clients are away (Broker+Leases.swift).
    var absences: [RegistrationKey: Absence] = [:]
    var nextAbsenceToken: UInt64 = 0
    /// Deliveries owed to away subscribers, by slot, since they left.
    var missedBySlot: [UInt32: UInt64] = [:]

    var listener: Socket?
    /// The TLS context new client connections are wrapped with (Broker+TLS.swift); nil serves plain TCP.
    var tlsContext: TLSContext?
    var acceptGate: AcceptGate?
    var livenessTimer: DispatchSourceTimer?
    /// The admin listener, if the admin port is configured.
    var adminAcceptGate: AcceptGate?
    /// Open admin connections by connection id (they count toward `maxConnections`).
    var adminConnections: [UInt64: AdminConnection] = [:]
    /// When ``start()`` ran (monotonic ns), for the uptime.
    var startedAt: UInt64 = Clock.monotonicNanoseconds()
    /// The address the admin listener bound, once started; nil when disabled.
    public private(set) var adminAddress: SocketAddress?
    var isShuttingDown = false
    /// Checks credentials off the queue (Broker+Auth.swift).
    lazy var authenticator = Authenticator(brokerQueue: queue)
    /// Delays of failed authentications, per peer address.
    var failurePenalty = FailurePenalty()
    var shutdownCompletion: (@Sendable () -> Void)?

    /// A broker that will serve `configuration` once started.
    public init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Loads the data directory (if configured), then binds the listener (and the
    /// admin listener, if configured) and starts serving: no client connects
    /// before the state is rebuilt.
    /// - Returns: the client address actually bound (useful with port 0);
    ///   the admin one is ``adminAddress``.
    public func start() throws(StartError) -> SocketAddress {
        let failure: StorageError? = queue.sync { () -> StorageError? in
            do throws(StorageError) { try openStorage() } catch { return error }
            return nil
        }
        if let failure { throw .storage(failure) }
        if configuration.adminTLS && configuration.tls == nil {
            throw .tls(TLSError("tls.admin", message: "needs tls.enabled = true (the admin port uses its certificate)"))
        }
        if let tls = configuration.tls {
            do throws(TLSError) {
                let context = try TLSContext(tls)
                queue.sync { tlsContext = context }
            } catch {
                throw .tls(error)
            }
        }
        if configuration.plainLoopbackOnly && configuration.tls == nil && !Self.isLoopback(configuration.host) {
            throw .insecure("listen.plain_loopback_only: a listener without TLS must bind a loopback address, not \(configuration.host)")
        }
        if configuration.plainLoopbackOnly && configuration.adminPort != nil && !configuration.adminTLS
            && !Self.isLoopback(configuration.adminHost)
        {
            throw .insecure("listen.plain_loopback_only: the admin port without TLS must bind a loopback address, not \(configuration.adminHost)")
        }
        let socket: Socket, address: SocketAddress
        do {
            (socket, address) = try Listener.listen(host: configuration.host, port: configuration.port)
        } catch {
            throw .listen(error)
        }
        queue.sync {
            listener = socket
            acceptGate = AcceptGate(listener: socket, queue: queue) { [unowned self] in acceptPending() }
            startedAt = Clock.monotonicNanoseconds()
            startLivenessTimer()
        }
        logger.info("listening on \(address)\(configuration.tls == nil ? "" : " (TLS)")")
        do {
            adminAddress = try startAdmin()
        } catch {
            throw .listen(error)
        }
        return address
    }

    /// Stops accepting, tells every client, lets pending output drain for at
    /// most the configured grace period, closes everything, then calls `completion`.
    public func shutdown(completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            guard !isShuttingDown else { return }
            isShuttingDown = true
            acceptGate?.cancel()
            acceptGate = nil
            stopAdmin()
            livenessTimer?.cancel()
            livenessTimer = nil
            shutdownCompletion = completion
            let error = ProtocolError(.shuttingDown, "broker is stopping")
            for session in sessions.values where session.isOpen {
                reply(session) { ReplyEncoder.error(error, into: &$0) }
                beginClosing(session, reason: .shuttingDown)
            }
            flushDirty()
            finishShutdownIfDone()
            let grace = DispatchTime.now() + .milliseconds(Int(configuration.shutdownGraceMilliseconds))
            queue.asyncAfter(deadline: grace) { [self] in
                for session in Array(sessions.values) { close(session, reason: .shuttingDown) }
                finishShutdownIfDone()
            }
        }
    }

    /// A copy of the counters.
    public func statistics() -> BrokerStats {
        queue.sync { stats }
    }

    /// Calls the shutdown completion once the last session is gone.
    func finishShutdownIfDone() {
        guard isShuttingDown, sessions.isEmpty, let completion = shutdownCompletion else { return }
        shutdownCompletion = nil
        closeStorage()
        logger.info("stopped", metadata: ["deliveries": "\(stats.deliveries)", "messages_in": "\(stats.messagesIn)"])
        completion()
    }

    /// Accepts every pending connection (runs on `queue`).
    func acceptPending() {
        guard let listener else { return }
        for _ in 0..<256 {
            let accepted: (Socket, SocketAddress)?
            do {
                accepted = try listener.accept()
            } catch {
                // Out of descriptors (EMFILE, ENFILE) or memory: the listener stays
                // readable, so pause accepting briefly instead of spinning.
                logger.warning("accept failed, pausing accepts for 100 ms: \(error)")
                acceptGate?.pauseAfterFailure()
                return
            }
            guard let (socket, peer) = accepted else { return }
            if refusesConnections {
                reject(socket, peer: peer)
                continue
            }
            if configuration.plainLoopbackOnly && tlsContext == nil && !Self.isLoopback(peer.host) {
                stats.connectionsRejected += 1
                socket.close()
                logger.warning("connection refused: not from loopback (listen.plain_loopback_only)", metadata: ["peer": "\(peer)"])
                continue
            }
            try? socket.setNoDelay()
            guard let transport = transport(for: socket, peer: peer) else { continue }
            admit(transport, peer: peer)
        }
    }

    /// Whether a new connection, client or admin, must be refused: at the
    /// connection limit (both kinds count) or shutting down.
    var refusesConnections: Bool {
        sessions.count + adminConnections.count >= configuration.maxConnections || isShuttingDown
    }

    private func reject(_ socket: Socket, peer: SocketAddress) {
        stats.connectionsRejected += 1
        var line: [UInt8] = []
        let error = isShuttingDown
            ? ProtocolError(.shuttingDown, "broker is stopping")
            : ProtocolError(.tooManyConnections, "limit of \(configuration.maxConnections) connections reached")
        ReplyEncoder.error(error, into: &line)
        // A TLS client would read the plain line as a broken handshake: it just sees the close.
        if tlsContext == nil { line.withUnsafeBytes { _ = socket.write(from: $0) } }
        socket.close()
        logger.warning("connection refused", metadata: ["peer": "\(peer)", "reason": "\(error.code.rawValue)"])
    }

    /// Whether `host` (a numeric address or `localhost`) is a loopback address.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") || host.hasPrefix("::ffff:127.")
    }

    /// Starts serving a new connection.
    func admit(_ transport: Transport, peer: SocketAddress) {
        nextConnectionID += 1
        stats.connectionsTotal += 1
        let session = Session(id: nextConnectionID, transport: transport, peer: peer,
                              limits: configuration.limits, now: Clock.monotonicNanoseconds())
        session.access = initialAccess()
        sessions[session.id] = session
        sessionsByURI[session.uri] = session

        let readSource = DispatchSource.makeReadSource(fileDescriptor: transport.fileDescriptor, queue: queue)
        readSource.setEventHandler { [unowned self, unowned session] in readable(session) }
        // The descriptor is closed only after every source on it is cancelled,
        // so a new connection can never receive events meant for this one. The
        // read source holds the group until close; a write source, made only
        // when a write first blocks (see makeWriteSource), joins it.
        session.sources.enter()
        readSource.setCancelHandler { [group = session.sources] in group.leave() }
        session.sources.notify(queue: queue) { transport.close() }
        session.readSource = readSource
        readSource.resume()
        logger.debug("connection opened", metadata: ["id": "\(session.id)", "peer": "\(peer)"])
    }

    /// The write source of a session whose output first failed to drain:
    /// most connections never need one, so none is made at admission.
    /// Returned suspended.
    func makeWriteSource(for session: Session) -> DispatchSourceWrite {
        let source = DispatchSource.makeWriteSource(fileDescriptor: session.transport.fileDescriptor, queue: queue)
        source.setEventHandler { [unowned self, unowned session] in writable(session) }
        session.sources.enter()
        source.setCancelHandler { [group = session.sources] in group.leave() }
        session.writeSource = source
        return source
    }
}
