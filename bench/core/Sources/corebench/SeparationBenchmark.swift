// Measurement 2 — the paper's Figure 11: the time to separate one message into
// per-subscriber deliveries, against message size (1 to 10,000 pairs of 100-byte
// values; 10,000 pairs = 1 MB of values). Two subscriber populations:
//   disjoint  10 subscribers x 1,000 concepts, no overlap (the paper's worst case:
//             every pair goes to exactly one subscriber);
//   overlap   1,000 subscribers x 10 concepts from a pool of 2,000 (each pair goes
//             to about 5 subscribers).
// Only `Blackboard.separate` is timed; the message is laid out beforehand as the
// codec lays it out (one storage buffer plus PairSpans).
import BlackboardCore

struct SeparationBenchmark {
    var pairCounts = [1, 10, 100, 1_000, 10_000]
    var valueBytes = 100
    var seed: UInt64

    struct Row {
        var caseName: String
        var pairs: Int
        var messageBytes: Int
        var subscribers: Int
        var time: Summary
        var deliveries: Int
        var pairsDelivered: Int
    }

    /// A subscriber population and the concept numbers its messages draw from.
    private struct Population {
        var name: String
        var board = Blackboard()
        var messageConcepts: [Int] = []
    }

    func run() -> [Row] {
        var random = SplitMix64(seed: seed)
        var rows: [Row] = []
        var populations = [disjoint(&random), overlap(&random)]
        for index in populations.indices {
            for pairs in pairCounts {
                rows.append(measure(&populations[index], pairs: pairs, &random))
            }
        }
        return rows
    }

    /// 10 subscribers, subscriber s has concepts s*1000 ..< (s+1)*1000. A message of
    /// n pairs uses the first n of a shuffle of all 10,000 (no concept twice).
    private func disjoint(_ random: inout SplitMix64) -> Population {
        var population = Population(name: "disjoint")
        for subscriber in 0..<10 {
            let profile = (subscriber * 1_000..<(subscriber + 1) * 1_000).map(ConceptName.entry)
            population.board.subscribe(subscriberURI(&random), to: profile)
        }
        population.messageConcepts = random.permutation(10_000)
        return population
    }

    /// 1,000 subscribers of 10 concepts each from a pool of 2,000; messages draw from the pool.
    private func overlap(_ random: inout SplitMix64) -> Population {
        var population = Population(name: "overlap")
        let pool = 2_000
        for _ in 0..<1_000 {
            var chosen = Set<Int>()
            while chosen.count < 10 { chosen.insert(random.below(pool)) }
            population.board.subscribe(subscriberURI(&random), to: chosen.sorted().map(ConceptName.entry))
        }
        population.messageConcepts = (0..<10_000).map { _ in random.below(pool) }
        return population
    }

    private func measure(_ population: inout Population, pairs: Int, _ random: inout SplitMix64) -> Row {
        // Lay the message out: concept bytes, then the value's bytes, pair after pair.
        var storage: [UInt8] = []
        var spans: [PairSpan] = []
        for index in 0..<pairs {
            let conceptStart = storage.count
            storage.append(contentsOf: ConceptName.make(population.messageConcepts[index % population.messageConcepts.count]).utf8)
            let valueStart = storage.count
            for _ in 0..<valueBytes { storage.append(UInt8(ascii: "a") + UInt8(random.below(26))) }
            spans.append(PairSpan(concept: conceptStart..<valueStart, value: valueStart..<storage.count))
        }
        // Small messages are timed in batches so that each sample is well above clock overhead.
        let batch = max(1, 100 / pairs)
        let samples = pairs >= 10_000 ? 100 : pairs >= 1_000 ? 300 : 1_000
        // The deliver callback's real work: count pairs per subscriber slot.
        var pairsBySlot = [Int](repeating: 0, count: 2_000)
        var deliveries = 0
        var times: [Double] = []
        times.reserveCapacity(samples)
        storage.withUnsafeBytes { storage in
            spans.withUnsafeBufferPointer { spans in
                func separateOnce() {
                    _ = population.board.separate(storage: storage, pairs: spans) { subscriber, selected in
                        pairsBySlot[Int(subscriber.slot)] &+= selected.count
                        deliveries &+= 1
                    }
                }
                for _ in 0..<5 { separateOnce() }  // warm caches and scratch capacity
                deliveries = 0
                for index in pairsBySlot.indices { pairsBySlot[index] = 0 }
                for _ in 0..<samples {
                    let start = monotonicNanoseconds()
                    for _ in 0..<batch { separateOnce() }
                    times.append(microseconds(from: start, to: monotonicNanoseconds()) / Double(batch))
                }
            }
        }
        let calls = samples * batch
        let delivered = pairsBySlot.reduce(0, +)
        precondition(delivered % calls == 0 && deliveries % calls == 0, "separation must be deterministic")
        if population.name == "disjoint" {
            precondition(delivered / calls == pairs, "disjoint: every pair goes to exactly one subscriber")
        }
        return Row(caseName: population.name, pairs: pairs, messageBytes: storage.count,
                   subscribers: population.board.subscriberCount, time: Summary(times),
                   deliveries: deliveries / calls, pairsDelivered: delivered / calls)
    }

    /// Prints the table and the target, writes core_separation.csv.
    static func report(_ rows: [Row], outputDirectory: String) {
        var table = Table(["case", "pairs", "message_bytes", "subscribers", "separate_us_median",
                           "separate_us_p90", "deliveries", "pairs_delivered"])
        for row in rows {
            table.add([row.caseName, String(row.pairs), String(row.messageBytes), String(row.subscribers),
                       format(row.time.median, 3), format(row.time.p90, 3), String(row.deliveries),
                       String(row.pairsDelivered)])
        }
        table.print()
        table.writeCSV(named: "core_separation.csv", in: outputDirectory)
        // Target: a 1 MB message (10,000 pairs) to 10 subscribers separated in under 2 ms.
        if let largest = rows.first(where: { $0.caseName == "disjoint" && $0.pairs == 10_000 }) {
            let ms = largest.time.median / 1_000
            print("  disjoint, 10,000 pairs (1 MB of values) to 10 subscribers: \(format(ms, 3)) ms "
                + "[\(ms < 2 ? "ok" : "MISSED") < 2 ms]")
        }
    }
}
