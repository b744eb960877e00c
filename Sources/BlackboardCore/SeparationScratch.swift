// Per-slot and per-message working memory for separation
// (Blackboard+Separation.swift). It is kept between messages with its capacity,
// so steady-state separation allocates nothing. Between two calls every
// `lastPair` is -1, every `pairCount` is 0, and the per-message arrays are empty.

/// Reusable arrays for separating one message into deliveries.
struct SeparationScratch: Sendable {
    /// By slot: the index of the last pair the slot took in the current message, or -1.
    var lastPair: [Int32] = []
    /// By slot: how many pairs the slot took; during grouping, its write cursor.
    var pairCount: [Int32] = []
    /// The slots that took a pair, in the order they first did.
    var touched: [UInt32] = []
    /// One element per (pair, slot taking it), in pair order: slot << 32 | pair index.
    var hits: [UInt64] = []
    /// The hits' pair indices grouped by slot in `touched` order; each group ascending.
    var selected: [Int32] = []
    /// By slot: the single-pair message (by `generation`) the slot last took.
    var seenIn: [UInt32] = []
    /// Numbers single-pair messages, so `seenIn` needs no reset between them.
    var generation: UInt32 = 0

    /// Makes room for every slot below `bound`.
    mutating func reserveSlots(_ bound: Int) {
        while lastPair.count < bound {
            lastPair.append(-1)
            pairCount.append(0)
            seenIn.append(0)
        }
    }

    /// The generation of the next single-pair message; when the counter wraps,
    /// every stamp is cleared so an old one can never match.
    mutating func nextGeneration() -> UInt32 {
        generation &+= 1
        if generation == 0 {
            for slot in seenIn.indices { seenIn[slot] = 0 }
            generation = 1
        }
        return generation
    }
}
