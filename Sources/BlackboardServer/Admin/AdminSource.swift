/// What the admin port reads from the broker. The broker's implementation
/// (Broker+AdminSource.swift) must be called on the broker's queue, so each
/// answer is consistent; tests pass a fixed one to ``AdminResponder``.
public protocol AdminSource {
    /// Why the data directory stopped taking records; nil when it is healthy
    /// or there is none. `/healthz` answers 503 while it is set.
    var storageFailure: String? { get }
    /// The numbers of `/stats` and `/metrics`.
    func snapshot() -> AdminSnapshot
    /// A page of subscribers, connected and away, by URI.
    func subscribers(_ request: PageRequest) -> Page<SubscriberRow>
    /// A page of publishers, connected and away, by URI.
    func publishers(_ request: PageRequest) -> Page<PublisherRow>
    /// A page of the lookup index's entries with their subscriber counts, by entry.
    func concepts(_ request: PageRequest) -> Page<ConceptRow>
    /// A page of the aggregate profile, by entry, with its version.
    func profile(_ request: PageRequest) -> ProfilePage
}
