import BlackboardCore
import BlackboardProtocol

// Connection lifecycle: a new link's handshake, losing a link, closing.
extension SessionState {
    /// Makes `link` the current connection and queues the handshake in front
    /// of whatever was queued while disconnected: `HELLO`, then `REG` for a
    /// publisher (whose filter keeps the last known profile until the new
    /// `PROFILE` arrives), then `SUB` with the confirmed profile for a subscriber.
    mutating func install(_ link: Link) {
        var handshake: [UInt8] = []
        var entries: [PendingReply] = []
        var hello = Hello(
            uri: configuration.uri, name: configuration.wireName,
            acknowledgePublishes: configuration.acknowledgePublishes)
        hello.leaseSeconds = configuration.leaseSeconds.flatMap { $0 > 0 ? $0 : nil }
        switch configuration.credentials {
        case nil: break
        case let .password(user, password):
            hello.user = user
            hello.password = password
        case let .token(token): hello.token = token
        }
        CommandEncoder.encode(.hello(hello), into: &handshake)
        entries.append(.hello(completesHandshake: !registers && subscription == nil))
        if registers {
            CommandEncoder.encode(.register, into: &handshake)
            entries.append(.register)
        }
        if let subscription {
            CommandEncoder.encode(.subscribe(subscription.sorted()), into: &handshake)
            entries.append(.restore(completesHandshake: !registers))
        }
        output = handshake + output
        let shift = UInt64(handshake.count)
        enqueuedBytes += shift
        for index in flushWaiters.indices { flushWaiters[index].target += shift }
        pending.prepend(contentsOf: entries)
        phase = .connected(link)
        serverNotice = nil
        handshakeComplete = false
        writerIdle = false
        if link.generation > 1 {
            reconnects += 1
            publisherStatistics.reconnects += 1
        }
    }

    /// The handshake on the current link is done: the first `connect` returns.
    mutating func completeHandshake() -> [Effect] {
        handshakeComplete = true
        guard let waiter = startWaiter else { return [] }
        startWaiter = nil
        return [{ waiter.resume() }]
    }

    /// The broker refused part of the handshake: nothing will get better by retrying.
    mutating func handshakeFailed(_ error: ClientError) -> [Effect] {
        finishClose(error)
    }

    /// `link` broke (read or write failed, or the broker closed it);
    /// `tlsFailure` is TLS's reason when TLS broke it (e.g. the broker
    /// refusing the client certificate after a TLS 1.3 handshake).
    /// - Returns: the effects, and whether to start reconnecting.
    mutating func connectionLost(
        _ link: Link, reason: String, tlsFailure: String? = nil
    ) -> (effects: [Effect], reconnect: Bool) {
        guard currentLink === link else { return ([], false) }
        if case .closing = phase { return (finishClose(nil), false) }
        let failure: ClientError =
            if let serverNotice { .fromBroker(code: serverNotice.code, message: serverNotice.message) }
            else if let tlsFailure { .tlsFailed(endpoint: configuration.endpoint, reason: tlsFailure) }
            else { .connectionLost(endpoint: configuration.endpoint, reason: reason) }
        // Refused credentials stay refused: reconnecting would only meet the broker's growing delay.
        let terminal = startWaiter != nil || !configuration.reconnects || serverNotice?.code == ErrorCode.replaced.rawValue
            || serverNotice?.code == ErrorCode.authFailed.rawValue
        if terminal { return (finishClose(failure), false) }
        var effects: [Effect] = [{ link.terminate() }]
        effects += failOutstanding(with: failure)
        phase = .reconnecting
        return (effects, true)
    }

    /// Starts closing: queues `QUIT` when connected, or closes at once.
    /// - Returns: the effects, and the link to force closed if `+OK QUIT` is late.
    mutating func beginClose(waiter: CheckedContinuation<Void, Never>) -> (effects: [Effect], link: Link?) {
        switch phase {
        case .closed:
            return ([{ waiter.resume() }], nil)
        case .closing:
            closeWaiters.append(waiter)
            return ([], nil)
        case let .connected(link):
            closeWaiters.append(waiter)
            phase = .closing(link)
            pending.append(.quit)
            return (enqueue(.quit), link)
        case .connecting, .reconnecting:
            closeWaiters.append(waiter)
            return (finishClose(nil), nil)
        }
    }

    /// Ends the session for good: `error` is `nil` after `close()`.
    mutating func finishClose(_ error: ClientError?) -> [Effect] {
        if case .closed = phase { return [] }
        var effects: [Effect] = []
        if let link = currentLink { effects.append { link.terminate() } }
        phase = .closed
        closeError = error
        let failure = error ?? .closed
        effects += failOutstanding(with: failure)
        if let waiter = startWaiter {
            startWaiter = nil
            effects.append { waiter.resume(throwing: failure) }
        }
        let closeWaiters = closeWaiters
        self.closeWaiters = []
        let deliveries = deliveries
        let observers = Array(profileObservers.values)
        profileObservers = [:]
        let connectorStop = connectorStop
        effects.append {
            for waiter in closeWaiters { waiter.resume() }
            deliveries.finish(throwing: error)
            for observer in observers { observer.finish(throwing: error) }
            connectorStop.signal()
        }
        return effects
    }

    /// Fails every caller waiting on the lost connection and drops the output
    /// that was queued for it (its commands belonged to that connection).
    private mutating func failOutstanding(with error: ClientError) -> [Effect] {
        var effects = pending.removeAll().compactMap { $0.fail(error) }
        let waiters = flushWaiters
        flushWaiters = []
        if !waiters.isEmpty { effects.append { for waiter in waiters { waiter.continuation.resume(throwing: error) } } }
        output.removeAll(keepingCapacity: true)
        settledBytes = enqueuedBytes
        writerIdle = false
        effects += releaseProducers()
        return effects
    }
}
