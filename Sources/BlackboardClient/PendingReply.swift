import BlackboardCore

/// A command that awaits its reply. The broker answers in command order
/// (PROTOCOL.md, "Ordering"), so a session keeps these in a FIFO and matches
/// each `+OK`, `-ERR` or `PONG` with the front entry.
enum PendingReply: Sendable {
    /// `HELLO`; the handshake is complete with its reply unless more follows.
    case hello(completesHandshake: Bool)
    /// `REG`; the handshake completes with the `PROFILE` that follows.
    case register
    /// `SUB` restoring the confirmed profile after a reconnect.
    case restore(completesHandshake: Bool)
    /// A caller's `SUB`, `ADD`, `DEL` or `UNSUB`.
    case profileChange(SubscriptionChange, CheckedContinuation<UInt64, any Error>)
    /// A caller's `SYNC`.
    case sync(CheckedContinuation<UInt64, any Error>)
    /// A caller's `PING`, with the time it was queued.
    case ping(ContinuousClock.Instant, CheckedContinuation<Duration, any Error>)
    /// A keepalive `PING` (see ``Keepalive``): its `PONG` arrives in order among
    /// the other replies and is consumed here, never handed to a caller.
    case keepalive
    /// A `PUB` in acknowledgement mode; a continuation when the caller waits.
    case publish(PublishResult, CheckedContinuation<PublishResult, any Error>?)
    /// `QUIT`.
    case quit

    /// A change of a subscriber's profile, applied locally once the broker confirms it.
    enum SubscriptionChange: Sendable {
        case replace([ProfileEntry])
        case add([ProfileEntry])
        case remove([ProfileEntry])
        case drop

        /// Applies the change to the confirmed profile (`nil`: not a subscriber).
        func apply(to profile: inout Set<ProfileEntry>?) {
            switch self {
            case let .replace(entries): profile = Set(entries)
            case let .add(entries): profile = (profile ?? []).union(entries)
            case let .remove(entries): profile = (profile ?? []).subtracting(entries)
            case .drop: profile = nil
            }
        }
    }

    /// Fails the waiting caller, if any, with `error`.
    func fail(_ error: ClientError) -> Effect? {
        switch self {
        case .hello, .register, .restore, .quit, .keepalive, .publish(_, nil): return nil
        case let .profileChange(_, continuation): return { continuation.resume(throwing: error) }
        case let .sync(continuation): return { continuation.resume(throwing: error) }
        case let .ping(_, continuation): return { continuation.resume(throwing: error) }
        case let .publish(_, continuation?): return { continuation.resume(throwing: error) }
        }
    }
}

/// Work a session does after releasing its lock: resuming continuations,
/// yielding to streams, waking threads. Doing these under the lock could
/// re-enter it (a stream's `onTermination` takes it) or delay other threads.
typealias Effect = @Sendable () -> Void

extension Array where Element == Effect {
    /// Runs the effects in order.
    func run() {
        for effect in self { effect() }
    }
}
