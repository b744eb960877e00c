/// Where one concept-value pair of a message lies in the message's storage:
/// byte offsets, so that a decoded message needs no allocation per pair.
public struct PairSpan: Equatable, Sendable {
    /// The concept's bytes.
    public var concept: Range<Int>
    /// The value's bytes.
    public var value: Range<Int>

    @inlinable
    public init(concept: Range<Int>, value: Range<Int>) {
        self.concept = concept
        self.value = value
    }
}
