import BlackboardCore
import BlackboardProtocol

/// Filtering at the source (seed 004 §3.1): a registered publisher sends only
/// the pairs that some entry of the aggregate subscription profile matches,
/// and sends nothing when no pair is left.
enum SourceFilter {
    /// What to send of one message.
    enum Decision: Equatable {
        /// Every pair is wanted: send the message as it is.
        case all
        /// No pair is wanted: send nothing.
        case none(dropped: Int)
        /// Only these pairs, in publication order, are wanted.
        case some([Pair], dropped: Int)
    }

    /// Decides what of `pairs` to send, given the aggregate `profile`. Allocates
    /// only when some but not all pairs are wanted.
    static func decide(_ pairs: [Pair], profile: ConceptFilter) -> Decision {
        var wanted = 0
        for pair in pairs where profile.matches(pair.concept) { wanted += 1 }
        if wanted == pairs.count { return .all }
        if wanted == 0 { return .none(dropped: pairs.count) }
        return .some(pairs.filter { profile.matches($0.concept) }, dropped: pairs.count - wanted)
    }

    /// The first pair whose concept breaks the concept grammar (the broker
    /// would refuse the whole message with `bad_concept`), and why.
    static func invalidConcept(in pairs: [Pair]) -> (concept: String, error: ConceptError)? {
        for pair in pairs {
            let error = pair.concept.utf8.withContiguousStorageIfAvailable {
                Concept.validate(UnsafeRawBufferPointer($0))
            } ?? Concept.validate(Array(pair.concept.utf8))
            if let error { return (pair.concept, error) }
        }
        return nil
    }
}
