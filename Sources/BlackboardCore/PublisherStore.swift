// The publisher store: registered publishers and the aggregate-profile version
// each has acknowledged. The paper calls it trivial (§4.2); the versions make
// SYNC possible (see PROTOCOL.md, "Profile versions, acknowledgements and SYNC").

/// URI -> acknowledged aggregate version (nil until the first ACK).
struct PublisherStore: Sendable {
    private struct Record: Sendable {
        var acknowledged: UInt64?
    }

    private var records: [String: Record] = [:]

    var count: Int { records.count }

    var uris: [String] { records.keys.sorted() }

    func contains(_ uri: String) -> Bool { records[uri] != nil }

    /// Registers `uri`; a publisher already registered keeps its acknowledged version.
    mutating func register(_ uri: String) {
        if records[uri] == nil { records[uri] = Record() }
    }

    /// Returns true when `uri` was registered.
    mutating func unregister(_ uri: String) -> Bool {
        records.removeValue(forKey: uri) != nil
    }

    /// Records an ACK of `version`, which the caller has checked; acks never move backwards.
    /// Returns false when `uri` is not registered.
    mutating func acknowledge(_ version: UInt64, by uri: String) -> Bool {
        guard var record = records[uri] else { return false }
        record.acknowledged = max(record.acknowledged ?? version, version)
        records[uri] = record
        return true
    }

    func acknowledgedVersion(of uri: String) -> UInt64? { records[uri]?.acknowledged }

    /// Registered publishers that never acknowledged or acknowledged below `version`, sorted.
    func publishers(behind version: UInt64) -> [String] {
        records.filter { _, record in record.acknowledged.map { $0 < version } ?? true }.keys.sorted()
    }
}
