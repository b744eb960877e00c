// Realistic-looking concept names, subscriber URIs and profiles. Lengths matter
// (hashing and comparing bytes is part of every operation), so names look like
// the ontology terms of the paper's workflow system rather than `c1`, `c2`.
import BlackboardCore
import Glibc

/// Concept names numbered from 0; distinct numbers give distinct names.
enum ConceptName {
    /// The name of concept `number`, 14 to 40 bytes, from one of several vocabularies
    /// (workflow events, resource readings, notebook hierarchies, provenance, URLs).
    static func make(_ number: Int) -> String {
        switch number % 6 {
        case 0: return "wf:Concept\(number)"
        case 1: return "res:cpu.node\(number)"
        case 2: return "wf:ActivityExecuting.step\(number)"
        case 3: return "notebook.experiment.run\(number / 64).metric\(number)"
        case 4: return "prov:wasGeneratedBy.activity\(number)"
        default: return "http://example.org/onto#Temperature\(number)"
        }
    }

    /// The exact profile entry for concept `number`.
    static func entry(_ number: Int) -> ProfileEntry {
        .exact(make(number))
    }
}

/// Subscriber URIs shaped like the broker's generated ones (`urn:blackboard:client:` + 16 hex digits).
func subscriberURI(_ random: inout SplitMix64) -> String {
    let hex = String(random.next(), radix: 16)
    return "urn:blackboard:client:" + String(repeating: "0", count: 16 - hex.count) + hex
}

/// The paper's profiles (§5.1): each concept is, with probability `sharedChance`,
/// drawn from a pool shared by all profiles (so profiles overlap), and otherwise
/// unique to its profile (a number never used before).
struct OverlappingProfiles {
    var random: SplitMix64
    /// Shared concepts are numbers 0..<sharedPool; unique ones count up from there.
    let sharedPool: Int
    let sharedChance: Double
    private var nextUnique: Int

    init(seed: UInt64, sharedPool: Int = 10_000, sharedChance: Double = 0.33) {
        random = SplitMix64(seed: seed)
        self.sharedPool = sharedPool
        self.sharedChance = sharedChance
        nextUnique = sharedPool
    }

    /// A profile of `size` distinct exact entries.
    mutating func profile(size: Int) -> [ProfileEntry] {
        var shared = Set<Int>()
        var entries: [ProfileEntry] = []
        entries.reserveCapacity(size)
        while entries.count < size {
            if random.chance(sharedChance) {
                let number = random.below(sharedPool)
                if shared.insert(number).inserted { entries.append(ConceptName.entry(number)) }
            } else {
                entries.append(ConceptName.entry(nextUnique))
                nextUnique += 1
            }
        }
        return entries
    }

    /// A fresh subscriber URI.
    mutating func uri() -> String { subscriberURI(&random) }
}

/// Concept numbers 0..<count drawn with Zipf(1) popularity: a few concepts most
/// subscribers want and a long tail few do, so that some profile changes move the
/// aggregate profile and others don't.
struct ZipfConcepts {
    private let cumulative: [Double]

    init(count: Int, exponent: Double = 1.0) {
        var running = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(count)
        for rank in 1...count {
            running += 1 / pow(Double(rank), exponent)
            cumulative.append(running)
        }
        self.cumulative = cumulative.map { $0 / running }
    }

    /// One concept number (0 is the most popular).
    func draw(_ random: inout SplitMix64) -> Int {
        let target = random.unit()
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// `size` distinct concept numbers.
    func profile(size: Int, _ random: inout SplitMix64) -> [Int] {
        var chosen = Set<Int>()
        var result: [Int] = []
        while result.count < size {
            let number = draw(&random)
            if chosen.insert(number).inserted { result.append(number) }
        }
        return result
    }
}
