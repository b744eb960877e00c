/// What a change of one subscriber's profile did: the subscriber it concerned,
/// the change of the aggregate profile (if any) and the aggregate version after it.
public struct ProfileChange: Equatable, Sendable {
    /// The subscriber's slot; nil after `unsubscribe` and for an unknown URI.
    public var subscriber: SubscriberID?
    /// The change of the union of all profiles; non-nil exactly when the union changed.
    public var delta: ProfileDelta?
    /// The aggregate version after the operation (SYNC waits for publishers to acknowledge it).
    public var version: UInt64

    /// A change record.
    public init(subscriber: SubscriberID?, delta: ProfileDelta?, version: UInt64) {
        self.subscriber = subscriber
        self.delta = delta
        self.version = version
    }
}
