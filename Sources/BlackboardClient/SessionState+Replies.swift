import BlackboardCore
import BlackboardProtocol

// Broker frames other than deliveries (which bypass the lock; see Session+Threads).
extension SessionState {
    /// Applies one frame that arrived on `link`.
    mutating func handle(_ reply: Reply, on link: Link) -> [Effect] {
        guard currentLink === link else { return [] }
        switch reply {
        case .message:
            return []
        case .ping:
            return enqueue(.pong)
        case .pong:
            return complete(pending.popFirst(), with: .success(verb: "PONG", arguments: []))
        case let .ok(verb, arguments):
            return complete(pending.popFirst(), with: .success(verb: verb, arguments: arguments))
        case let .error(code, message):
            return handleError(code: code, message: message)
        case let .profile(version, entries):
            profile = ConceptFilter(entries)
            return profileApplied(version: version, delta: nil)
        case let .delta(delta):
            profile.apply(delta)
            return profileApplied(version: delta.version, delta: delta)
        }
    }

    private enum Outcome {
        case success(verb: String, arguments: [String])
        case failure(ClientError)
    }

    /// A new profile version is in the filter: acknowledge it (in the same
    /// critical section, so every later `PUB` is filtered by it) and tell observers.
    private mutating func profileApplied(version: UInt64, delta: ProfileDelta?) -> [Effect] {
        profileVersion = version
        hasProfile = true
        var effects = enqueue(.acknowledge(version: version))
        if !profileObservers.isEmpty {
            let update = ProfileUpdate(version: version, entries: profile.entries, delta: delta)
            let observers = Array(profileObservers.values)
            effects.append { for observer in observers { observer.yield(update) } }
        }
        if registers && !handshakeComplete { effects += completeHandshake() }
        return effects
    }

    /// `-ERR`: fatal codes announce the end of the connection (the reason the
    /// waiting callers will see); others answer the front command.
    private mutating func handleError(code: String, message: String) -> [Effect] {
        if ErrorCode(rawValue: code)?.isFatal == true {
            serverNotice = (code, message)
            return []
        }
        if code == ErrorCode.badConcept.rawValue && !configuration.acknowledgePublishes {
            // Only PUB fails with bad_concept, and without ack mode a PUB has no reply slot.
            publisherStatistics.messagesRefused += 1
            return []
        }
        let error: ClientError =
            code == ErrorCode.syncTimeout.rawValue
            ? .timeout(operation: "SYNC: \(message)") : .fromBroker(code: code, message: message)
        return complete(pending.popFirst(), with: .failure(error))
    }

    private mutating func complete(_ entry: PendingReply?, with outcome: Outcome) -> [Effect] {
        guard let entry else { return [] }
        let arguments: [String]
        let verb: String
        switch outcome {
        case let .failure(error):
            switch entry {
            case .hello, .register, .restore: return handshakeFailed(error)
            case .quit: return finishClose(nil)
            case .publish:
                publisherStatistics.messagesRefused += 1
                return entry.fail(error).map { [$0] } ?? []
            case .profileChange, .sync, .ping, .keepalive:
                return entry.fail(error).map { [$0] } ?? []
            }
        case let .success(replyVerb, replyArguments):
            verb = replyVerb
            arguments = replyArguments
        }
        let number = arguments.first.flatMap { UInt64($0) }
        switch entry {
        case let .hello(completes), let .restore(completes):
            return completes ? completeHandshake() : []
        case .register:
            return []
        case .quit:
            return finishClose(nil)
        case let .profileChange(change, continuation):
            change.apply(to: &subscription)
            subscriptionVersion = number ?? subscriptionVersion
            let version = subscriptionVersion
            return [{ continuation.resume(returning: version) }]
        case let .sync(continuation):
            let version = number ?? 0
            return [{ continuation.resume(returning: version) }]
        case let .ping(start, continuation):
            let elapsed = start.duration(to: .now)
            if verb != "PONG" {
                return [{ continuation.resume(throwing: ClientError.serverError(code: "unexpected_reply", message: verb)) }]
            }
            return [{ continuation.resume(returning: elapsed) }]
        case .keepalive:
            if verb == "PONG" { keepalivePingsAnswered += 1 }
            return []
        case let .publish(result, continuation):
            guard let continuation else { return [] }
            let confirmed = PublishResult(
                sentPairs: result.sentPairs, droppedPairs: result.droppedPairs,
                deliveries: number.map { Int(clamping: $0) } ?? 0)
            return [{ continuation.resume(returning: confirmed) }]
        }
    }
}
