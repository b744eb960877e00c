/// Counters of a ``Publisher`` since it was created.
public struct PublisherStatistics: Sendable, Equatable {
    /// `PUB` frames queued for the broker.
    public var messagesSent: UInt64 = 0
    /// Publishes that sent nothing because no pair was wanted.
    public var messagesSuppressed: UInt64 = 0
    /// Pairs queued for the broker.
    public var pairsSent: UInt64 = 0
    /// Pairs dropped at the source: no aggregate-profile entry matched them.
    public var pairsDropped: UInt64 = 0
    /// Messages discarded because the connection was down and the reconnect
    /// buffer (``ClientConfiguration/maxPendingBytes``) was full.
    public var messagesDiscarded: UInt64 = 0
    /// Publishes the broker refused with `-ERR` (e.g. `bad_concept`).
    public var messagesRefused: UInt64 = 0
    /// Bytes handed to the socket (all commands, not only `PUB`).
    public var bytesWritten: UInt64 = 0
    /// Batches the writer handed to the socket: with many publishes back to
    /// back this stays far below ``messagesSent``, because one write carries
    /// everything that accumulated meanwhile.
    public var writeBatches: UInt64 = 0
    /// Connections re-established after a loss.
    public var reconnects: UInt64 = 0
    /// Keepalive `PING`s sent after the broker was silent for
    /// ``ClientConfiguration/pingInterval``.
    public var keepalivePingsSent: UInt64 = 0
    /// Keepalive `PING`s the broker answered with `PONG`.
    public var keepalivePingsAnswered: UInt64 = 0

    /// All counters zero.
    public init() {}
}
