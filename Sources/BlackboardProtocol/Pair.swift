/// One concept-value pair as an owned value (client side, tests). The broker's
/// hot path uses ``Publication`` and `PairSpan` instead.
public struct Pair: Equatable, Sendable, Hashable {
    /// The concept.
    public var concept: String
    /// The value bytes.
    public var value: [UInt8]

    /// A pair of `concept` and `value`.
    public init(_ concept: String, _ value: [UInt8]) {
        self.concept = concept
        self.value = value
    }
}
