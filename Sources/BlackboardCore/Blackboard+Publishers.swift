// The publisher store's API on Blackboard. Acknowledgements are checked against
// the aggregate version here, since only Blackboard knows it.

extension Blackboard {
    /// The number of registered publishers.
    public var publisherCount: Int { publisherStore.count }

    /// The URIs of all registered publishers, sorted.
    public var publisherURIs: [String] { publisherStore.uris }

    /// Whether `uri` is a registered publisher.
    public func isPublisher(_ uri: String) -> Bool { publisherStore.contains(uri) }

    /// Registers `uri` as a publisher (idempotent; a publisher registered before keeps
    /// its acknowledged version) and returns the full aggregate profile to push, sorted.
    public mutating func registerPublisher(_ uri: String) -> (version: UInt64, entries: [ProfileEntry]) {
        publisherStore.register(uri)
        return (aggregateVersion, index.unionEntries)
    }

    /// Unregisters `uri`; returns true when it was registered.
    @discardableResult
    public mutating func unregisterPublisher(_ uri: String) -> Bool {
        publisherStore.unregister(uri)
    }

    /// Records that `uri` has applied the aggregate profile up to `version`.
    /// Acknowledgements never move backwards: an older one is accepted and ignored.
    /// - Throws: `.notRegistered` when `uri` is not a registered publisher;
    ///   `.unknownVersion` when `version` is above ``aggregateVersion``.
    public mutating func acknowledge(_ version: UInt64, by uri: String) throws(AcknowledgeError) {
        guard publisherStore.contains(uri) else { throw .notRegistered }
        guard version <= aggregateVersion else { throw .unknownVersion(version, current: aggregateVersion) }
        _ = publisherStore.acknowledge(version, by: uri)
    }

    /// The version `uri` acknowledged last; nil when it never did or is not registered.
    public func acknowledgedVersion(of uri: String) -> UInt64? {
        publisherStore.acknowledgedVersion(of: uri)
    }

    /// The registered publishers, sorted, that acknowledged a version below `version`
    /// or never acknowledged. O(publishers).
    public func publishers(behind version: UInt64) -> [String] {
        publisherStore.publishers(behind: version)
    }
}
