// Measurement 1 — the paper's Figures 9 and 10: the cost of one subscribe and one
// unsubscribe as the store grows. The store is grown to each checkpoint size, then
// probed with fresh URIs and fresh profiles (subscribe, then unsubscribe, each timed
// alone) so that the store stays at the checkpoint size. A flat curve (cost at 100k
// close to cost at 1k) is what "O(|profile|), never a walk over the index" promises.
import BlackboardCore

struct SubscribeBenchmark {
    var profileSizes = [5, 50, 100]
    var checkpoints = [0, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]
    var probes = 200
    var seed: UInt64

    struct Row {
        var profileConcepts: Int
        var subscribers: Int
        var subscribe: Summary
        var unsubscribe: Summary
    }

    func run() -> [Row] {
        var rows: [Row] = []
        for size in profileSizes {
            var board = Blackboard()
            var profiles = OverlappingProfiles(seed: seed ^ UInt64(size))
            var growSeconds = 0.0
            for checkpoint in checkpoints {
                // Grow (timed only in total, for the log).
                let growStart = monotonicNanoseconds()
                while board.subscriberCount < checkpoint {
                    board.subscribe(profiles.uri(), to: profiles.profile(size: size))
                }
                growSeconds += microseconds(from: growStart, to: monotonicNanoseconds()) / 1e6
                rows.append(probe(&board, &profiles, size: size))
            }
            print("  \(size)-concept profiles: grew to \(board.subscriberCount) subscribers in \(format(growSeconds, 1)) s (with profile generation)")
        }
        return rows
    }

    /// Subscribes and unsubscribes `probes` fresh subscribers, timing each call alone.
    private func probe(_ board: inout Blackboard, _ profiles: inout OverlappingProfiles, size: Int) -> Row {
        let subscribers = board.subscriberCount
        var subscribeTimes: [Double] = []
        var unsubscribeTimes: [Double] = []
        for _ in 0..<probes {
            let uri = profiles.uri()
            let profile = profiles.profile(size: size)
            let start = monotonicNanoseconds()
            let change = board.subscribe(uri, to: profile)
            let subscribed = monotonicNanoseconds()
            board.unsubscribe(uri)
            let unsubscribed = monotonicNanoseconds()
            precondition(change.subscriber != nil)
            subscribeTimes.append(microseconds(from: start, to: subscribed))
            unsubscribeTimes.append(microseconds(from: subscribed, to: unsubscribed))
        }
        precondition(board.subscriberCount == subscribers, "probes must leave the store as they found it")
        return Row(profileConcepts: size, subscribers: subscribers,
                   subscribe: Summary(subscribeTimes), unsubscribe: Summary(unsubscribeTimes))
    }

    /// Prints the table and the targets, writes core_subscribe.csv.
    static func report(_ rows: [Row], outputDirectory: String) {
        var table = Table(["profile_concepts", "subscribers", "subscribe_us_median", "subscribe_us_p90",
                           "unsubscribe_us_median", "unsubscribe_us_p90"])
        for row in rows {
            table.add([String(row.profileConcepts), String(row.subscribers),
                       format(row.subscribe.median), format(row.subscribe.p90),
                       format(row.unsubscribe.median), format(row.unsubscribe.p90)])
        }
        table.print()
        table.writeCSV(named: "core_subscribe.csv", in: outputDirectory)

        // Targets: cost(largest)/cost(1k) <= 1.5; a 100-concept subscribe under 20 µs.
        let largest = rows.map(\.subscribers).max() ?? 0
        for size in Set(rows.map(\.profileConcepts)).sorted() {
            let ofSize = rows.filter { $0.profileConcepts == size }
            guard let small = ofSize.first(where: { $0.subscribers == 1_000 }),
                let large = ofSize.first(where: { $0.subscribers == largest })
            else { continue }
            let subscribeRatio = large.subscribe.median / small.subscribe.median
            let unsubscribeRatio = large.unsubscribe.median / small.unsubscribe.median
            print("  \(size) concepts: cost(\(largest))/cost(1000) subscribe \(format(subscribeRatio)) "
                + "[\(subscribeRatio <= 1.5 ? "ok" : "MISSED") ≤ 1.5], unsubscribe \(format(unsubscribeRatio)) "
                + "[\(unsubscribeRatio <= 1.5 ? "ok" : "MISSED") ≤ 1.5]")
            if size == 100 {
                let worst = ofSize.map(\.subscribe.median).max() ?? 0
                print("  100 concepts: slowest median subscribe \(format(worst)) µs "
                    + "[\(worst < 20 ? "ok" : "MISSED") < 20 µs]")
            }
        }
    }
}
