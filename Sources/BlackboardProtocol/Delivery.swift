/// A `MSG seq n publisher ts` frame and its pairs, as a subscriber receives it.
public struct Delivery: Equatable, Sendable {
    /// Counts deliveries to this subscriber, from 1.
    public var sequence: UInt64
    /// The publishing connection's URI.
    public var publisher: String
    /// The broker's receive time, in milliseconds since the Unix epoch.
    public var timestamp: UInt64
    /// The pairs the subscriber's profile matched, in publication order.
    public var pairs: [Pair]

    /// A delivery with the given fields.
    public init(sequence: UInt64, publisher: String, timestamp: UInt64, pairs: [Pair]) {
        self.sequence = sequence
        self.publisher = publisher
        self.timestamp = timestamp
        self.pairs = pairs
    }
}
