import BlackboardProtocol
import BlackboardTLS
import BlackboardTransport
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// The threads of a session: connector, reader, writer. Each blocks in system
// calls, so none runs on Swift's cooperative pool.
extension Session {
    /// Starts a thread that opens a connection: once for the first connection,
    /// or with backoff until it succeeds or the session closes.
    func spawnConnector(initial: Bool) {
        Thread.detachNewThread { [self] in runConnector(initial: initial) }
    }

    private func runConnector(initial: Bool) {
        var attempt = 0
        while true {
            if !initial {
                let delay = configuration.reconnectBackoff.delay(forAttempt: attempt)
                let interval = DispatchTimeInterval.nanoseconds(Int(clamping: delay.nanoseconds))
                if connectorStop.wait(timeout: .now() + interval) == .success { return }
            }
            if state.withLock({ $0.currentLink != nil || $0.refusal != nil }) { return }
            do {
                install(try connect())
                return
            } catch {
                if initial {
                    if configuration.tls != nil { TLSThread.releaseState() }
                    state.withLock { $0.finishClose(error) }.run()
                    return
                }
                attempt += 1
            }
        }
    }

    /// Opens a connection: TCP, then the TLS handshake when TLS is on, both
    /// within the connect timeout.
    private func connect() throws(ClientError) -> LinkStream {
        let deadline = ContinuousClock.now + configuration.connectTimeout
        guard let tls = configuration.tls, let context = try tlsContext?.get() else {
            return .plain(try Connector.connect(
                host: configuration.host, port: configuration.port, timeout: configuration.connectTimeout,
                receiveTimeout: configuration.keepaliveInterval))
        }
        let socket = try Connector.connect(
            host: configuration.host, port: configuration.port, timeout: configuration.connectTimeout)
        return .tls(try tls.handshake(
            socket, context: context, host: configuration.host, endpoint: configuration.endpoint,
            receiveTimeout: configuration.keepaliveInterval, deadline: deadline))
    }

    private func install(_ stream: LinkStream) {
        let link = state.withLock { state -> Link? in
            switch state.phase {
            case .connecting, .reconnecting: break
            case .connected, .closing, .closed: return nil
            }
            let link = Link(stream: stream, generation: state.nextGeneration)
            state.nextGeneration += 1
            state.install(link)
            return link
        }
        guard let link else {
            stream.close()
            return
        }
        Thread.detachNewThread { [self] in runReader(link) }
        Thread.detachNewThread { [self] in runWriter(link) }
    }

    private func lose(_ link: Link, reason: String) {
        let tlsFailure = link.stream.tlsFailure
        let (effects, reconnect) = state.withLock { $0.connectionLost(link, reason: reason, tlsFailure: tlsFailure) }
        effects.run()
        if reconnect { spawnConnector(initial: false) }
    }

    /// Reads until the link breaks. With keepalive on, the stream's receive
    /// timeout is the ping interval, so `.wouldBlock` means a whole interval
    /// passed without a byte from the broker (see ``Keepalive``).
    private func runReader(_ link: Link) {
        var decoder = ReplyDecoder()
        var keepalive = Keepalive(configuration)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var reason = "closed by the broker"
        reading: while true {
            switch link.stream.read(into: buffer) {
            case let .transferred(count):
                keepalive?.inputReceived()
                decoder.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                do {
                    while let reply = try decoder.next() { dispatch(reply, on: link) }
                } catch {
                    reason = "unreadable reply from the broker: \(error)"
                    break reading
                }
            case .wouldBlock:
                switch keepalive?.silenceElapsed() {
                case nil:
                    continue
                case .ping:
                    state.withLock { $0.sendKeepalivePing(on: link) }.run()
                case .giveUp:
                    reason = keepalive?.lossReason ?? reason
                    break reading
                }
            case .closed:
                break reading
            case let .failed(error):
                reason = error.description
                break reading
            }
        }
        lose(link, reason: link.writeFailure ?? reason)
        link.terminate()
        link.threadFinished()
    }

    /// Deliveries go straight to their stream (no lock: the reader is the only
    /// producer, so order holds); every other frame goes through the state.
    private func dispatch(_ reply: Reply, on link: Link) {
        if case let .message(delivery) = reply {
            deliveryCount.add(1, ordering: .relaxed)
            deliveredPairCount.add(UInt64(delivery.pairs.count), ordering: .relaxed)
            deliveryContinuation.yield(delivery)
            return
        }
        state.withLock { $0.handle(reply, on: link) }.run()
    }

    /// How often an idle writer yields the processor and looks again before it
    /// parks. Waking a parked writer costs the publishing thread a futex
    /// system call; a publisher that publishes back to back keeps the writer
    /// busy within a few yields, so it (almost) never pays for one.
    private static let writerRetries = 16

    private func runWriter(_ link: Link) {
        var batch: [UInt8] = []
        var reason: String?
        var retries = 0
        writing: while true {
            let park = retries >= Self.writerRetries
            switch state.withLock({ $0.writerStep(for: link, batch: &batch, park: park) }) {
            case .exit:
                break writing
            case .retry:
                retries += 1
                sched_yield()
            case .wait:
                retries = 0
                link.wake.wait()
            case .write:
                retries = 0
                do {
                    try batch.withUnsafeBytes { try link.stream.writeAll($0) }
                } catch {
                    reason = "\(error)"
                    break writing
                }
                let written = batch.count
                batch.removeAll(keepingCapacity: batch.capacity <= 4 << 20)
                state.withLock { $0.settle(written, on: link) }.run()
            }
        }
        if let reason {
            // Over TLS the reader reports the loss: what broke the write may be
            // an alert it has yet to read (a refused client certificate is
            // answered after the client's handshake ends, and HELLO may meet
            // the closed connection first). Shutting the socket down wakes it;
            // data already received stays readable.
            if link.stream.isTLS { link.writeFailed(reason) } else { lose(link, reason: reason) }
        }
        link.terminate()
        link.threadFinished()
    }
}
