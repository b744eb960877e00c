import BlackboardProtocol
import Dispatch

/// Pings for idle clients and deadlines for unwritable ones. Runs on `queue`.
extension Broker {
    func startLivenessTimer() {
        var shortest = min(configuration.pingIntervalMilliseconds, configuration.writeDeadlineMilliseconds)
        if configuration.tls != nil { shortest = min(shortest, configuration.handshakeTimeoutMilliseconds) }
        let tick = max(10, min(1_000, shortest / 4))
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(Int(tick)), repeating: .milliseconds(Int(tick)),
                       leeway: .milliseconds(Int(max(1, tick / 10))))
        timer.setEventHandler { [unowned self] in checkLiveness() }
        livenessTimer = timer
        timer.resume()
    }

    /// Pings clients idle for a ping interval, closes those that let too many
    /// pings go unanswered, cuts off sessions unwritable past the deadline, and
    /// drops TLS connections whose handshake is not done by its timeout.
    func checkLiveness() {
        let now = Clock.monotonicNanoseconds()
        let handshakeTimeout = configuration.handshakeTimeoutMilliseconds * 1_000_000
        let interval = configuration.pingIntervalMilliseconds * 1_000_000
        let deadline = configuration.writeDeadlineMilliseconds * 1_000_000
        for session in Array(sessions.values) {
            if let since = session.unwritableSince, now - since > deadline {
                if session.isOpen {
                    disconnectSlowConsumer(session, why: "unwritable for more than \(configuration.writeDeadlineMilliseconds) ms")
                } else {
                    close(session, reason: .slowConsumer)
                }
                continue
            }
            if session.transport.isHandshaking {
                // Not pinged: it could not answer before the handshake, which has its own deadline.
                if now - session.admittedAt > handshakeTimeout {
                    stats.handshakeTimeouts += 1
                    close(session, reason: .handshakeTimeout)
                }
                continue
            }
            // A session in SYNC has reading paused and can't answer; it is waiting on us.
            guard session.state == .open, now - session.lastInput >= interval else { continue }
            if session.outstandingPings >= configuration.pingMaxOutstanding {
                let error = ProtocolError(.staleConnection, "\(session.outstandingPings) pings unanswered")
                stats.protocolErrors[error.code, default: 0] += 1
                reply(session) { ReplyEncoder.error(error, into: &$0) }
                beginClosing(session, reason: .staleConnection)
                continue
            }
            session.outstandingPings += 1
            session.lastInput = now
            reply(session) { ReplyEncoder.encode(.ping, into: &$0) }
        }
        flushDirty()
    }
}
