// The subscription store (paper §4.2, Figure 3): URI -> subscriber, keyed inside
// the process by slot. Slots are dense from 0 and reused after a subscriber
// leaves, so that the index, the separation scratch and the server can keep
// per-subscriber state in flat arrays. The profiles themselves live in the lookup
// index (SubscriberLookupIndex+Profiles.swift), next to their inverse, so that
// each (subscriber, entry) pair is stored once as a pair of small integers.
//
// URIs are interned in a ConceptTable (the same open-addressing table as the
// concepts): one probe that compares a 32-bit tag before any key bytes, where a
// Dictionary<String, _> would compare whole String keys along the probe run,
// each a pointer to follow. Strings are rebuilt only when asked for.

/// URI <-> slot. Invariants: the table's value for a URI is its slot, and
/// `uriIDBySlot[slot]` is that URI's table id; a free slot has id -1 and is in
/// `freeSlots` exactly once. Cost: O(|URI|) per lookup or change (hashing the URI).
struct SubscriptionStore: Sendable {
    /// URI bytes -> slot.
    private var slotByURI = ConceptTable<UInt32>()
    /// By slot: the table id of the subscriber's URI, or -1 for a free slot.
    private var uriIDBySlot: [Int32] = []
    /// Free slots, reused last-freed first.
    private var freeSlots: [UInt32] = []

    /// The number of subscribers.
    var count: Int { slotByURI.count }

    /// Every slot in use is below this bound.
    var slotBound: Int { uriIDBySlot.count }

    func slot(of uri: String) -> UInt32? {
        let id = Self.withBytes(of: uri) { slotByURI.find($0) }
        return id < 0 ? nil : slotByURI[value: id]
    }

    /// The URI of the subscriber in `slot`, rebuilt as a String (one allocation).
    func uri(ofSlot slot: UInt32) -> String? {
        guard Int(slot) < uriIDBySlot.count, uriIDBySlot[Int(slot)] >= 0 else { return nil }
        return slotByURI.withKey(uriIDBySlot[Int(slot)]) { String(decoding: $0, as: UTF8.self) }
    }

    /// Every URI, sorted. O(n log n); allocates every String.
    var uris: [String] {
        var result: [String] = []
        result.reserveCapacity(count)
        slotByURI.forEachID { id in result.append(slotByURI.withKey(id) { String(decoding: $0, as: UTF8.self) }) }
        return result.sorted()
    }

    /// The slot of `uri`, creating a subscriber when absent.
    mutating func slot(creating uri: String) -> UInt32 {
        let nextSlot = freeSlots.last ?? UInt32(uriIDBySlot.count)
        let (id, inserted) = Self.withBytes(of: uri) { slotByURI.insert($0, value: nextSlot) }
        if !inserted { return slotByURI[value: id] }
        if freeSlots.popLast() != nil {
            uriIDBySlot[Int(nextSlot)] = id
        } else {
            precondition(uriIDBySlot.count < Int(UInt32.max), "SubscriptionStore: out of slots")
            uriIDBySlot.append(id)
        }
        return nextSlot
    }

    /// Removes the subscriber in `slot` and frees the slot.
    mutating func release(_ slot: UInt32) {
        let id = uriIDBySlot[Int(slot)]
        precondition(id >= 0, "SubscriptionStore: slot \(slot) is free")
        slotByURI.remove(id)
        uriIDBySlot[Int(slot)] = -1
        freeSlots.append(slot)
    }

    private static func withBytes<Result>(of uri: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var uri = uri
        return uri.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
