/// The delay of replies to failed authentications, per peer address
/// (docs/SECURITY.md, "Failed authentications"): the first failure from an
/// address waits `base`, each further one twice as long, up to `cap`. A success
/// from the address, or `2 × cap` without a failure, forgets it. The table
/// holds at most ``maxAddresses`` addresses; when full, the stalest half goes.
///
/// A value type with no clock of its own: the broker passes the time in, on its queue.
struct FailurePenalty {
    static let maxAddresses = 10_000

    private struct Record {
        var failures: Int
        var lastFailure: UInt64
    }

    private var records: [String: Record] = [:]

    /// Records a failure from `address` at `now` (ms) and returns the delay, in ms,
    /// before the failure is answered.
    mutating func fail(_ address: String, now: UInt64, base: UInt64, cap: UInt64) -> UInt64 {
        var record = records[address] ?? Record(failures: 0, lastFailure: now)
        if now - min(now, record.lastFailure) > 2 * cap { record.failures = 0 }
        record.failures += 1
        record.lastFailure = now
        if records[address] == nil && records.count >= Self.maxAddresses { evict() }
        records[address] = record
        let shift = min(record.failures - 1, 20)
        return min(cap, base << UInt64(shift))
    }

    /// Forgets `address` after a success.
    mutating func succeed(_ address: String) {
        records[address] = nil
    }

    /// The number of addresses remembered.
    var count: Int { records.count }

    private mutating func evict() {
        let stalest = records.sorted { $0.value.lastFailure < $1.value.lastFailure }.prefix(records.count / 2)
        for (address, _) in stalest { records[address] = nil }
    }
}
