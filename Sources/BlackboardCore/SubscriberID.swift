/// A subscriber's slot inside the broker: a small integer, reused after the
/// subscriber leaves, so that per-subscriber state can live in flat arrays.
/// URIs identify subscribers to the outside; slots only inside one process.
public struct SubscriberID: Hashable, Comparable, Sendable {
    /// The slot number, dense from 0.
    public let slot: UInt32

    @inlinable
    public init(slot: UInt32) { self.slot = slot }

    public static func < (lhs: SubscriberID, rhs: SubscriberID) -> Bool { lhs.slot < rhs.slot }
}
