import BlackboardCore
import BlackboardProtocol
import BlackboardTransport
import Logging

/// Reading, writing and closing sessions. Everything here runs on `queue`.
extension Broker {
    /// Most bytes read from one connection per readiness event, so one busy
    /// publisher cannot starve the others.
    static let readBudget = 1 << 20

    /// The session's socket has input.
    func readable(_ session: Session) {
        var budget = Broker.readBudget
        while budget > 0 && session.state == .open {
            switch session.transport.read(into: readBuffer) {
            case let .transferred(count):
                budget -= count
                stats.bytesIn += UInt64(count)
                session.lastInput = Clock.monotonicNanoseconds()
                session.outstandingPings = 0
                session.decoder.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
                execute(session, receivedAt: Clock.epochMilliseconds())
            case .wouldBlock:
                budget = 0
            case .closed:
                // End of input may be a half-close: the client can still read
                // the replies to what it sent, so drain them before closing.
                beginClosing(session, reason: .clientClosed)
            case let .failed(error):
                close(session, reason: .socketError(error.description))
            }
        }
        // Crossed readiness (Transport, TLS handshakes only): a read that must
        // first write waits on the write source (``writable(_:)`` retries it); a
        // write that waited on the peer's handshake may go now.
        if session.state != .closed {
            if session.transport.readWaitsForWritable { setWriteInterest(session, true) }
            if session.pendingBytes > 0 && session.transport.writeWaitsForReadable { markDirty(session) }
        }
        flushDirty()
    }

    /// Runs every whole command buffered in the session's decoder, until input
    /// runs out or the session stops being open (SYNC wait, closing).
    /// `receivedAt` (epoch ms) stamps the messages published by these commands:
    /// one clock read per read, not per message.
    func execute(_ session: Session, receivedAt: UInt64) {
        receiveTime = receivedAt
        while session.state == .open {
            if session.decoder.nextCanonicalPublication({ publish(storage: $0, pairs: $1, from: session) }) { continue }
            let command: Command?
            do {
                command = try session.decoder.next()
            } catch {
                fail(session, error)
                continue
            }
            guard let command else { return }
            run(command, from: session)
        }
    }

    /// The one place where errors become wire replies: counts the error,
    /// answers it, and closes the connection when the stream can't go on.
    func fail(_ session: Session, _ error: ProtocolError) {
        stats.protocolErrors[error.code, default: 0] += 1
        reply(session) { ReplyEncoder.error(error, into: &$0) }
        if error.isFatal {
            logger.info("closing connection after protocol error",
                        metadata: ["id": "\(session.id)", "uri": "\(session.uri)", "code": "\(error.code.rawValue)",
                                   "error": "\(error.message)"])
            beginClosing(session, reason: .protocolError(error.code))
        }
    }

    /// Lists a session for the end-of-batch flush.
    @inline(__always)
    func markDirty(_ session: Session) {
        if !session.isDirty {
            session.isDirty = true
            dirty.append(session)
        }
    }

    /// Writes out every dirty session: one write per session per batch.
    func flushDirty() {
        if journalNeedsCommit { commitJournal() }
        while let session = dirty.popLast() {
            session.isDirty = false
            flush(session)
        }
    }

    /// The session's socket can take more output, or a TLS read that had to
    /// write first can be retried.
    func writable(_ session: Session) {
        if session.transport.readWaitsForWritable && session.isOpen { readable(session) }
        flush(session)
    }

    /// Writes as much pending output as the socket takes; arms the write source
    /// for the rest, and finishes a closing session once it has drained.
    func flush(_ session: Session) {
        if session.state == .closed { return }
        // Nothing leaves before the journal records it depends on are durable.
        if journalNeedsCommit { commitJournal() }
        while session.pendingBytes > 0 {
            let result = session.output.withPending { session.transport.write(from: $0) }
            switch result {
            case let .transferred(count):
                session.output.consume(count)
                stats.bytesOut += UInt64(count)
            case .wouldBlock:
                if session.unwritableSince == nil { session.unwritableSince = Clock.monotonicNanoseconds() }
                // A TLS write waiting for the peer's handshake is retried by
                // readable(): a write source on the (writable) socket would spin.
                let transport = session.transport
                setWriteInterest(session, !transport.writeWaitsForReadable || transport.readWaitsForWritable)
                return
            case .closed:
                close(session, reason: .clientClosed)
                return
            case let .failed(error):
                close(session, reason: .socketError(error.description))
                return
            }
        }
        session.unwritableSince = nil
        setWriteInterest(session, session.transport.readWaitsForWritable)
        if case let .closing(reason) = session.state { close(session, reason: reason) }
    }

    func setWriteInterest(_ session: Session, _ wanted: Bool) {
        guard wanted != session.writeSourceActive else { return }
        // No source yet: nothing to stop, and a closed session never gets one.
        if session.writeSource == nil && (!wanted || session.state == .closed) { return }
        let source = session.writeSource ?? makeWriteSource(for: session)
        session.writeSourceActive = wanted
        if wanted { source.resume() } else { source.suspend() }
    }

    func setReadInterest(_ session: Session, _ wanted: Bool) {
        guard wanted != session.readSourceActive, let source = session.readSource else { return }
        session.readSourceActive = wanted
        if wanted { source.resume() } else { source.suspend() }
    }

    /// Stops reading and lets pending output drain before closing (bounded by
    /// the write deadline, which the liveness timer enforces).
    func beginClosing(_ session: Session, reason: ClosedReason) {
        guard session.isOpen else { return }
        releaseRegistrations(of: session)
        session.state = .closing(reason)
        setReadInterest(session, false)
        markDirty(session)
    }

    /// Closes at once, dropping pending output.
    func close(_ session: Session, reason: ClosedReason) {
        if session.state == .closed { return }
        releaseRegistrations(of: session)
        session.state = .closed
        sessions[session.id] = nil
        if sessionsByURI[session.uri] === session { sessionsByURI[session.uri] = nil }
        // A suspended source must be resumed before it can be cancelled.
        setReadInterest(session, true)
        setWriteInterest(session, true)
        session.readSource?.cancel()
        session.writeSource?.cancel()
        session.readSource = nil
        session.writeSource = nil
        session.output.release()
        switch reason {
        case .slowConsumer: stats.slowConsumerDisconnects += 1
        case .staleConnection: stats.staleDisconnects += 1
        default: break
        }
        let level: Logger.Level = (reason == .clientClosed || reason == .quit || reason == .shuttingDown) ? .debug : .info
        logger.log(level: level, "connection closed",
                   metadata: ["id": "\(session.id)", "uri": "\(session.uri)", "peer": "\(session.peer)",
                              "reason": "\(reason)"])
        finishShutdownIfDone()
    }

    /// A connection's profile and publisher registration end with it under
    /// lease 0, and publishers hear of the change; under a lease they are kept
    /// (Broker+Leases.swift).
    func releaseRegistrations(of session: Session) {
        syncWaiters[session.id] = nil
        if leaveBehind(session) { return }
        if let slot = session.subscriber {
            session.subscriber = nil
            subscriberSessions[Int(slot.slot)] = nil
            push(blackboard.unsubscribe(session.uri).delta)
        }
        if session.isPublisher {
            session.isPublisher = false
            publisherSessions[session.id] = nil
            blackboard.unregisterPublisher(session.uri)
            checkSyncWaiters()
        }
    }
}

