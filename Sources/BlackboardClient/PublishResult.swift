/// What one publish did with the pairs it was given.
public struct PublishResult: Sendable, Equatable {
    /// Pairs queued for the broker (0: nothing at all was sent).
    public var sentPairs: Int
    /// Pairs dropped because no entry of the aggregate profile matches them.
    public var droppedPairs: Int
    /// The number of subscribers the message reached, as the broker's
    /// `+OK PUB` said; only ``Publisher/publishConfirmed(_:)`` fills it in
    /// (0 when nothing was sent).
    public var deliveries: Int?

    /// A result with the given counts.
    public init(sentPairs: Int, droppedPairs: Int, deliveries: Int? = nil) {
        self.sentPairs = sentPairs
        self.droppedPairs = droppedPairs
        self.deliveries = deliveries
    }

    /// Whether a `PUB` frame was queued.
    public var wasSent: Bool { sentPairs > 0 }
}
