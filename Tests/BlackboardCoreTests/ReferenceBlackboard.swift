import BlackboardCore

/// The naive reference model for the property tests: plain dictionaries and
/// sets, and loops over every profile using the reference `ProfileEntry.matches`.
struct ReferenceBlackboard {
    var profiles: [String: Set<ProfileEntry>] = [:]

    var union: Set<ProfileEntry> { profiles.values.reduce(into: []) { $0.formUnion($1) } }

    mutating func subscribe(_ uri: String, to profile: [ProfileEntry]) { profiles[uri] = Set(profile) }

    mutating func add(_ entries: [ProfileEntry], for uri: String) { profiles[uri, default: []].formUnion(entries) }

    mutating func remove(_ entries: [ProfileEntry], for uri: String) { profiles[uri]?.subtract(entries) }

    mutating func unsubscribe(_ uri: String) { profiles[uri] = nil }

    /// Subscriber URIs with an entry matching `concept`.
    func subscribers(matching concept: String) -> Set<String> {
        Set(profiles.filter { _, profile in profile.contains { $0.matches(bytes(concept)) } }.keys)
    }

    /// Entry -> URIs of the profiles holding it: what the lookup index must be.
    var inverse: [ProfileEntry: Set<String>] {
        var result: [ProfileEntry: Set<String>] = [:]
        for (uri, profile) in profiles {
            for entry in profile { result[entry, default: []].insert(uri) }
        }
        return result
    }

    /// URI -> indices of the pairs it receives, and the number of pairs nobody receives.
    func separate(_ concepts: [String]) -> (deliveries: [String: [Int32]], filtered: Int) {
        var deliveries: [String: [Int32]] = [:]
        var received = Set<Int>()
        for (uri, profile) in profiles {
            var selected: [Int32] = []
            for (index, concept) in concepts.enumerated() where profile.contains(where: { $0.matches(bytes(concept)) }) {
                selected.append(Int32(index))
                received.insert(index)
            }
            if !selected.isEmpty { deliveries[uri] = selected }
        }
        return (deliveries, concepts.count - received.count)
    }
}
