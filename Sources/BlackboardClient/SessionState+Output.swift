import BlackboardCore
import BlackboardProtocol

// The output buffer: publishing into it, the writer taking from it, flushing.
extension SessionState {
    /// The outcome of trying to publish under the lock.
    enum PublishStep {
        /// Queued (or dropped whole by the filter).
        case done(PublishResult, [Effect])
        /// Over the output limit while connected: wait on the producer gate, then retry.
        case blocked
        /// Refused.
        case failed(ClientError)
    }

    /// Filters `pairs` by the profile and queues what is left as one `PUB`.
    /// - Parameters:
    ///   - confirmation: the caller waiting for `+OK PUB` (acknowledgement mode).
    ///   - mayBlock: whether the caller can wait for the writer when the output is full.
    mutating func publish(
        _ pairs: [Pair], confirmation: CheckedContinuation<PublishResult, any Error>?, mayBlock: Bool
    ) -> PublishStep {
        if let refusal { return .failed(refusal) }
        let decision = registers ? SourceFilter.decide(pairs, profile: profile) : .all
        let dropped: Int
        switch decision {
        case .all: dropped = 0
        case let .none(count), let .some(_, count): dropped = count
        }
        let result = PublishResult(sentPairs: pairs.count - dropped, droppedPairs: dropped)
        if result.sentPairs == 0 {
            publisherStatistics.pairsDropped += UInt64(dropped)
            publisherStatistics.messagesSuppressed += 1
            return .done(result, [])
        }
        if pendingBytes > UInt64(configuration.maxPendingBytes) {
            if currentLink != nil && mayBlock {
                blockedProducers += 1
                return .blocked
            }
            if currentLink == nil {
                publisherStatistics.messagesDiscarded += 1
                return .failed(.connectionLost(
                    endpoint: configuration.endpoint,
                    reason: "reconnecting, and the reconnect buffer (\(configuration.maxPendingBytes) bytes) is full"))
            }
        }
        let before = output.count
        switch decision {
        case .all: CommandEncoder.publish(pairs, into: &output)
        case let .some(kept, _): CommandEncoder.publish(kept, into: &output)
        case .none: break
        }
        enqueuedBytes += UInt64(output.count - before)
        if configuration.acknowledgePublishes { pending.append(.publish(result, confirmation)) }
        publisherStatistics.messagesSent += 1
        publisherStatistics.pairsSent += UInt64(result.sentPairs)
        publisherStatistics.pairsDropped += UInt64(dropped)
        return .done(result, wakeWriter())
    }

    /// What the writer of a link does next.
    enum WriterStep {
        /// `batch` holds output: write it.
        case write
        /// Nothing queued; look again soon (only when not parking).
        case retry
        /// Nothing queued; the writer is marked idle and must wait for `wake`.
        case wait
        /// The link is no longer current.
        case exit
    }

    /// Hands the writer of `link` everything queued, swapping buffers so that
    /// neither side allocates in steady state: `batch` comes in empty (with the
    /// capacity of the last batch) and leaves holding the output.
    /// - Parameter park: whether to mark the writer idle when nothing is queued.
    mutating func writerStep(for link: Link, batch: inout [UInt8], park: Bool) -> WriterStep {
        guard currentLink === link else { return .exit }
        if output.isEmpty {
            guard park else { return .retry }
            writerIdle = true
            return .wait
        }
        swap(&output, &batch)
        return .write
    }

    /// The writer of `link` wrote `count` bytes.
    mutating func settle(_ count: Int, on link: Link) -> [Effect] {
        guard currentLink === link else { return [] }
        settledBytes += UInt64(count)
        publisherStatistics.bytesWritten += UInt64(count)
        publisherStatistics.writeBatches += 1
        var done = 0
        while done < flushWaiters.count && flushWaiters[done].target <= settledBytes { done += 1 }
        var effects: [Effect] = []
        if done > 0 {
            let waiters = flushWaiters[..<done].map(\.continuation)
            flushWaiters.removeFirst(done)
            effects.append { for waiter in waiters { waiter.resume() } }
        }
        if pendingBytes <= UInt64(configuration.maxPendingBytes) { effects += releaseProducers() }
        return effects
    }

    /// Registers a caller of `flush()`; returns an effect when it need not wait.
    mutating func flush(_ continuation: CheckedContinuation<Void, any Error>) -> Effect? {
        if let refusal { return { continuation.resume(throwing: refusal) } }
        if settledBytes >= enqueuedBytes { return { continuation.resume() } }
        flushWaiters.append((enqueuedBytes, continuation))
        return nil
    }
}
