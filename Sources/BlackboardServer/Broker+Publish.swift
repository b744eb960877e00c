import BlackboardCore
import BlackboardProtocol

/// The publish path: separation and delivery. Runs on `queue`.
extension Broker {
    /// Separates one message and appends one `MSG` per interested subscriber to
    /// its output buffer (the batch's flush writes them out together).
    ///
    /// Subscribers that take every pair share one encoded tail (see
    /// ``MessageFrame`` and ``appendMessage``): each but the first costs a
    /// sequence number and a copy.
    func publish(_ publication: Publication, from session: Session) {
        publication.storage.withUnsafeBytes { storage in
            publication.pairs.withUnsafeBufferPointer { pairs in publish(storage: storage, pairs: pairs, from: session) }
        }
    }

    /// ``publish(_:from:)`` on a message's bytes and pair spans.
    func publish(storage: UnsafeRawBufferPointer, pairs spans: UnsafeBufferPointer<PairSpan>, from session: Session) {
        if session.access.isRestricted, !permitsPublish(storage: storage, pairs: spans, from: session) { return }
        var delivered = 0
        var pairsDelivered = 0
        var missed = 0
        var large: [Session] = []
        // Hot state in locals: separation must not close sessions, so the slot
        // table cannot change while it runs.
        let targets = subscriberSessions
        var sharedTail: UnsafeRawBufferPointer?
        let filtered = session.stamp(at: receiveTime).withUnsafeBytes { stamp in
            blackboard.separate(storage: storage, pairs: spans) { subscriber, selected in
                guard let slot = targets[Int(subscriber.slot)] else {
                    missed += 1
                    missedBySlot[subscriber.slot, default: 0] += 1
                    return
                }
                // At +0: `sessions` keeps the session alive (see `subscriberSessions`).
                slot._withUnsafeGuaranteedRef { target in
                    guard target.isOpen else {
                        missed += 1
                        return
                    }
                    target.sequence.increment()
                    Self.appendMessage(
                        to: &target.output, sequence: target.sequence, stamp: stamp, storage: storage,
                        pairs: spans, selected: selected, sharedTail: &sharedTail)
                    delivered += 1
                    target.deliveries += 1
                    pairsDelivered += selected.count
                    markDirty(target)
                    if wantsEarlyWrite(target) { large.append(target) }
                }
            }
        }
        stats.messagesIn += 1
        session.messagesPublished += 1
        stats.pairsIn += UInt64(spans.count)
        stats.pairsFiltered += UInt64(filtered)
        stats.deliveries += UInt64(delivered)
        stats.pairsOut += UInt64(pairsDelivered)
        stats.deliveriesMissed += UInt64(missed)
        if session.acknowledgesPublishes {
            reply(session) { ReplyEncoder.ok("PUB", number: UInt64(delivered), into: &$0) }
        }
        // Writing can close a session, which changes the profile store, so it
        // waits until separation is over.
        for target in large { flushEarly(target) }
    }

    /// Appends one `MSG` frame of the `selected` pairs. A subscriber taking every
    /// pair reuses `sharedTail`, the tail the first such subscriber got, which
    /// stays in place until separation ends: each output receives one frame per
    /// message and nothing else writes output meanwhile.
    @inline(__always)
    static func appendMessage(
        to output: inout OutputBuffer, sequence: SequenceCounter, stamp: UnsafeRawBufferPointer,
        storage: UnsafeRawBufferPointer, pairs: UnsafeBufferPointer<PairSpan>, selected: UnsafeBufferPointer<Int32>,
        sharedTail: inout UnsafeRawBufferPointer?
    ) {
        let everyPair = selected.count == pairs.count
        if everyPair, let shared = sharedTail {
            output.append(maximum: MessageFrame.maxHeadSize + shared.count) { out in
                let head = MessageFrame.encodeHead(sequence: sequence, into: out)
                (out + head).copyMemory(from: shared.baseAddress!, byteCount: shared.count)
                return head + shared.count
            }
            return
        }
        let chosen = everyPair ? nil : selected
        let maximum = MessageFrame.maxHeadSize + MessageFrame.tailCapacity(stamp: stamp.count, pairs: pairs, selected: chosen)
        output.append(maximum: maximum) { out in
            let head = MessageFrame.encodeHead(sequence: sequence, into: out)
            let tail = MessageFrame.encodeTail(stamp: stamp, storage: storage, pairs: pairs, selected: chosen, into: out + head)
            if everyPair { sharedTail = UnsafeRawBufferPointer(start: out + head, count: tail) }
            return head + tail
        }
    }

    /// Output a session may collect before it is written without waiting for the
    /// end of the batch: writes stay large, and buffers stay small enough to be
    /// kept between batches instead of being freed and faulted in again.
    static let eagerFlushBytes = 256 << 10

    /// Whether a session's backlog should be handled before the batch ends: it is
    /// past `max_pending` (cut it off), or large and the socket not known to be
    /// full (write it). A session whose socket is full already has its write source
    /// armed, so it is left alone instead of being listed again on every message.
    @inline(__always)
    func wantsEarlyWrite(_ session: Session) -> Bool {
        let pending = session.pendingBytes
        return pending > configuration.maxPendingBytes
            || (pending >= Broker.eagerFlushBytes && !session.writeSourceActive)
    }

    /// Writes a large backlog now, then cuts off a session still past `max_pending`.
    /// The write comes first unless the socket is known to be full: `max_pending`
    /// bounds what a client leaves unread, not what one read batch queues for a
    /// client that keeps up (with a small `max_pending` that batch alone can pass it).
    func flushEarly(_ session: Session) {
        guard session.isOpen, wantsEarlyWrite(session) else { return }
        if !session.writeSourceActive { flush(session) }
        enforceOutputCap(session)
    }

    /// Cuts off a session whose pending output passed `max_pending`: memory
    /// never grows without bound for a client that does not read.
    func enforceOutputCap(_ session: Session) {
        guard session.isOpen, session.pendingBytes > configuration.maxPendingBytes else { return }
        disconnectSlowConsumer(session, why: "\(session.pendingBytes) bytes pending, limit is \(configuration.maxPendingBytes)")
    }

    /// Drops what the slow client has not taken, tells it why (best effort) and closes.
    func disconnectSlowConsumer(_ session: Session, why: String) {
        logger.warning("slow consumer disconnected",
                       metadata: ["id": "\(session.id)", "uri": "\(session.uri)", "peer": "\(session.peer)", "why": "\(why)"])
        stats.protocolErrors[.slowConsumer, default: 0] += 1
        // Keep the bytes the socket has partly taken, so the stream stays framed.
        session.output.release()
        reply(session) { ReplyEncoder.error(ProtocolError(.slowConsumer, why), into: &$0) }
        _ = session.output.withPending { session.transport.write(from: $0) }
        close(session, reason: .slowConsumer)
    }
}
