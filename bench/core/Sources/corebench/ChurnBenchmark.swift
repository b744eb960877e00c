// Measurement 3 — aggregate-profile change detection under churn. A store of N
// subscribers with overlapping profiles (10 concepts each, Zipf-popular from a
// universe of 50,000) takes random operations: subscribe a new URI, unsubscribe
// one, add entries to one, remove entries from one. Per operation we record the
// time, whether the aggregate profile (the union, which publishers are pushed)
// changed, and the size of the delta. Publishers are told only on a change, so the
// change fraction and delta size are the push traffic churn causes.
import BlackboardCore

struct ChurnBenchmark {
    var subscribers = 10_000
    var operations = 100_000
    var profileSize = 10
    var universe = 50_000
    var seed: UInt64

    enum Operation: String, CaseIterable {
        case subscribe, unsubscribe, add, remove
    }

    struct Sample {
        var operation: Operation
        var microseconds: Double
        var deltaSize: Int?  // nil: the aggregate did not change
    }

    struct Result {
        var samples: [Sample]
        var unionBefore: Int
        var unionAfter: Int
        var subscribersAfter: Int
    }

    func run() -> Result {
        var random = SplitMix64(seed: seed)
        let concepts = ZipfConcepts(count: universe)
        var board = Blackboard()
        var uris: [String] = []
        for _ in 0..<subscribers {
            let uri = subscriberURI(&random)
            board.subscribe(uri, to: concepts.profile(size: profileSize, &random).map(ConceptName.entry))
            uris.append(uri)
        }
        let unionBefore = board.aggregate.count
        var samples: [Sample] = []
        samples.reserveCapacity(operations)
        for _ in 0..<operations {
            // Subscribe and unsubscribe are equally likely, so N stays about constant.
            var operation = Operation.allCases[random.below(4)]
            if uris.isEmpty { operation = .subscribe }
            let versionBefore = board.aggregateVersion
            let start: UInt64
            let change: ProfileChange
            switch operation {
            case .subscribe:
                let uri = subscriberURI(&random)
                let profile = concepts.profile(size: profileSize, &random).map(ConceptName.entry)
                start = monotonicNanoseconds()
                change = board.subscribe(uri, to: profile)
                uris.append(uri)
            case .unsubscribe:
                let position = random.below(uris.count)
                uris.swapAt(position, uris.count - 1)
                let uri = uris.removeLast()
                start = monotonicNanoseconds()
                change = board.unsubscribe(uri)
            case .add:
                let uri = uris[random.below(uris.count)]
                let entries = concepts.profile(size: 1 + random.below(3), &random).map(ConceptName.entry)
                start = monotonicNanoseconds()
                change = board.add(entries, for: uri)
            case .remove:
                let uri = uris[random.below(uris.count)]
                let profile = (board.profile(of: uri) ?? []).sorted()
                var entries: [ProfileEntry] = []
                for _ in 0..<min(profile.count, 1 + random.below(3)) {
                    entries.append(profile[random.below(profile.count)])
                }
                start = monotonicNanoseconds()
                change = board.remove(entries, for: uri)
            }
            let elapsed = microseconds(from: start, to: monotonicNanoseconds())
            // The version moves by one exactly when the union changed.
            let deltaSize = change.delta.map { $0.added.count + $0.removed.count }
            precondition(change.version == versionBefore + (deltaSize == nil ? 0 : 1), "version must track the delta")
            samples.append(Sample(operation: operation, microseconds: elapsed, deltaSize: deltaSize))
        }
        return Result(samples: samples, unionBefore: unionBefore, unionAfter: board.aggregate.count,
                      subscribersAfter: board.subscriberCount)
    }

    /// Prints the per-operation table, writes core_churn.csv.
    func report(_ result: Result, outputDirectory: String) {
        var table = Table(["op", "count", "time_us_median", "time_us_p90", "changed_fraction",
                           "delta_mean", "delta_mean_when_changed", "delta_max"])
        let groups = Operation.allCases.map { operation in
            (operation.rawValue, result.samples.filter { $0.operation == operation })
        } + [("all", result.samples)]
        for (name, samples) in groups where !samples.isEmpty {
            let time = Summary(samples.map(\.microseconds))
            let deltas = samples.compactMap(\.deltaSize)
            let total = Double(deltas.reduce(0, +))
            table.add([name, String(samples.count), format(time.median), format(time.p90),
                       format(Double(deltas.count) / Double(samples.count), 3),
                       format(total / Double(samples.count), 3),
                       format(deltas.isEmpty ? 0 : total / Double(deltas.count), 3),
                       String(deltas.max() ?? 0)])
        }
        table.print()
        table.writeCSV(named: "core_churn.csv", in: outputDirectory)
        print("  \(subscribers) subscribers x \(profileSize) Zipf concepts of \(universe); "
            + "union \(result.unionBefore) entries before, \(result.unionAfter) after "
            + "\(result.samples.count) operations (\(result.subscribersAfter) subscribers after)")
    }
}
