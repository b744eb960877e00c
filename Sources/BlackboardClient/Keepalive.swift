/// The client's side of liveness checking, as NATS clients do it: after a ping
/// interval in which the broker sent nothing, send `PING`; any input from the
/// broker resets the count; when an interval passes in silence with
/// `maxOutstanding` pings unanswered, the connection is dead.
///
/// Owned by a link's reader thread, which alone sees the input and the read
/// timeouts (`SO_RCVTIMEO` set to the ping interval), so it needs no lock and
/// no timer thread. The `PING` itself is queued by
/// ``SessionState/sendKeepalivePing(on:)``.
struct Keepalive: Sendable {
    /// What to do when a ping interval passed without input.
    enum Action: Equatable {
        /// Send a keepalive `PING`.
        case ping
        /// Give the connection up: `maxOutstanding` pings went unanswered.
        case giveUp
    }

    let interval: Duration
    let maxOutstanding: Int
    /// Keepalive pings sent since the broker last sent anything.
    private(set) var outstanding = 0

    init(interval: Duration, maxOutstanding: Int) {
        self.interval = interval
        self.maxOutstanding = maxOutstanding
    }

    /// The keepalive `configuration` asks for, or `nil` when it is off.
    init?(_ configuration: ClientConfiguration) {
        guard let interval = configuration.keepaliveInterval else { return nil }
        self.init(interval: interval, maxOutstanding: configuration.maxOutstandingPings)
    }

    /// The broker sent something: it is alive.
    mutating func inputReceived() {
        outstanding = 0
    }

    /// A ping interval passed without input.
    mutating func silenceElapsed() -> Action {
        if outstanding >= maxOutstanding { return .giveUp }
        outstanding += 1
        return .ping
    }

    /// Why the connection was given up, for ``ClientError/connectionLost(endpoint:reason:)``.
    var lossReason: String {
        "no answer to \(maxOutstanding) keepalive PING\(maxOutstanding == 1 ? "" : "s"); "
            + "the broker sent nothing for \(interval * (maxOutstanding + 1))"
    }
}
