// The subscription store (paper §4.2, Figure 3): URI -> profile, keyed inside
// the process by slot. Slots are dense from 0 and reused after a subscriber
// leaves, so that the index, the separation scratch and the server can keep
// per-subscriber state in flat arrays.

/// URI <-> slot, and slot -> profile. Keeping the index in step is Blackboard's job.
struct SubscriptionStore: Sendable {
    private(set) var slotByURI: [String: UInt32] = [:]
    /// By slot: the subscriber's URI, or nil for a free slot.
    private var uriBySlot: [String?] = []
    /// By slot: the subscriber's profile (empty for a free slot).
    private var profileBySlot: [Set<ProfileEntry>] = []
    /// Free slots, reused last-freed first.
    private var freeSlots: [UInt32] = []

    /// The number of subscribers.
    var count: Int { slotByURI.count }

    /// Every slot in use is below this bound.
    var slotBound: Int { uriBySlot.count }

    func slot(of uri: String) -> UInt32? { slotByURI[uri] }

    func uri(ofSlot slot: UInt32) -> String? {
        Int(slot) < uriBySlot.count ? uriBySlot[Int(slot)] : nil
    }

    func profile(ofSlot slot: UInt32) -> Set<ProfileEntry> { profileBySlot[Int(slot)] }

    /// The slot of `uri`, creating a subscriber with an empty profile when absent.
    mutating func slot(creating uri: String) -> UInt32 {
        if let slot = slotByURI[uri] { return slot }
        let slot: UInt32
        if let free = freeSlots.popLast() {
            slot = free
            uriBySlot[Int(slot)] = uri
        } else {
            precondition(uriBySlot.count < Int(UInt32.max), "SubscriptionStore: out of slots")
            slot = UInt32(uriBySlot.count)
            uriBySlot.append(uri)
            profileBySlot.append([])
        }
        slotByURI[uri] = slot
        return slot
    }

    /// Moves the profile out, leaving an empty one, so that the caller can change it
    /// without a copy-on-write copy. Put it back with ``setProfile(_:ofSlot:)``.
    mutating func takeProfile(ofSlot slot: UInt32) -> Set<ProfileEntry> {
        var profile: Set<ProfileEntry> = []
        swap(&profile, &profileBySlot[Int(slot)])
        return profile
    }

    mutating func setProfile(_ profile: Set<ProfileEntry>, ofSlot slot: UInt32) {
        profileBySlot[Int(slot)] = profile
    }

    /// Removes the subscriber in `slot` and frees the slot; returns its profile.
    mutating func release(_ slot: UInt32) -> Set<ProfileEntry> {
        guard let uri = uriBySlot[Int(slot)] else { preconditionFailure("SubscriptionStore: slot \(slot) is free") }
        slotByURI[uri] = nil
        uriBySlot[Int(slot)] = nil
        freeSlots.append(slot)
        return takeProfile(ofSlot: slot)
    }
}
