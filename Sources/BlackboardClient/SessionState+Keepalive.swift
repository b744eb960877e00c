import BlackboardProtocol

// Keepalive pings (see Keepalive): the reader of a link decides when to ping;
// the ping itself goes through the output and the reply FIFO like any request.
extension SessionState {
    /// Queues a keepalive `PING` on `link` when it is the current, connected
    /// link (not while closing: `QUIT` is already under way). Its reply slot
    /// sits in the FIFO in command order, so the `PONG` that answers it is
    /// consumed silently and never taken for the answer to a caller's `ping()`.
    mutating func sendKeepalivePing(on link: Link) -> [Effect] {
        guard case let .connected(current) = phase, current === link else { return [] }
        pending.append(.keepalive)
        keepalivePingsSent += 1
        return enqueue(.ping)
    }
}
