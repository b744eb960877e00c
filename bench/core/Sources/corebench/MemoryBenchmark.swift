// Measurement 4 — the memory a store takes: RSS before and after inserting
// 100,000 subscribers of 10 concepts each (the daemon's target is such a store in
// under 200 MB for the whole process). Two profile populations:
//   paper-overlap  33% of concepts from a shared pool of 10,000, the rest unique
//                  (about 670,000 distinct concepts: the index is as large as it gets);
//   shared-pool    every concept from the pool of 10,000 (few distinct concepts:
//                  the cost of subscribers and their profiles alone).
// Profiles are generated one at a time and handed over, so that the bench itself
// holds nothing: what the store keeps is what the process grows by. Run it first
// (`all` does), before other measurements leave freed pages in the heap.
import BlackboardCore

struct MemoryBenchmark {
    var subscribers = 100_000
    var profileSize = 10
    var seed: UInt64

    struct Row {
        var caseName: String
        var distinctConcepts: Int
        var before: ResidentMemory
        var after: ResidentMemory
    }

    func run() -> [Row] {
        [measure("paper-overlap", sharedChance: 0.33), measure("shared-pool", sharedChance: 1.0)]
    }

    private func measure(_ name: String, sharedChance: Double) -> Row {
        returnFreeMemoryToSystem()
        let before = ResidentMemory.read()
        var profiles = OverlappingProfiles(seed: seed, sharedChance: sharedChance)
        var board = Blackboard()
        for _ in 0..<subscribers {
            board.subscribe(profiles.uri(), to: profiles.profile(size: profileSize))
        }
        returnFreeMemoryToSystem()
        let after = ResidentMemory.read()
        let row = Row(caseName: name, distinctConcepts: board.aggregate.count, before: before, after: after)
        withExtendedLifetime(board) {}
        return row
    }

    /// Prints the table and the target, writes core_memory.csv.
    func report(_ rows: [Row], outputDirectory: String) {
        let megabyte = 1_048_576.0
        var table = Table(["case", "subscribers", "concepts_per_subscriber", "distinct_concepts",
                           "rss_before_mb", "rss_after_mb", "store_mb", "bytes_per_subscriber"])
        for row in rows {
            let grown = row.after.current - row.before.current
            table.add([row.caseName, String(subscribers), String(profileSize), String(row.distinctConcepts),
                       format(Double(row.before.current) / megabyte, 1), format(Double(row.after.current) / megabyte, 1),
                       format(Double(grown) / megabyte, 1), String(grown / subscribers)])
        }
        table.print()
        table.writeCSV(named: "core_memory.csv", in: outputDirectory)
        if let worst = rows.map({ $0.after.current - $0.before.current }).max() {
            let mb = Double(worst) / megabyte
            print("  largest store: \(format(mb, 1)) MB for \(subscribers) subscribers "
                + "[\(mb < 200 ? "ok" : "MISSED") < 200 MB, store only; the daemon adds sessions and buffers]")
        }
    }
}
