// corebench: in-process benchmarks of BlackboardCore, no sockets (the seed paper's
// "shims", §5). See bench/core/README.md.
//
//   corebench [all|subscribe|separation|churn|memory] [--quick] [--out DIR] [--seed N]
import Glibc

struct Options {
    var commands: [String] = []
    var quick = false
    var outputDirectory = "bench/results"
    var seed: UInt64 = 0x0B1A_CB0A_4D00_2008

    static let allCommands = ["memory", "subscribe", "separation", "churn"]

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": options.quick = true
            case "--out":
                guard let directory = rest.popFirst() else { usage("--out needs a directory") }
                options.outputDirectory = directory
            case "--seed":
                guard let seed = rest.popFirst().flatMap({ UInt64($0) }) else { usage("--seed needs a number") }
                options.seed = seed
            case "-h", "--help": usage(nil)
            case "all": options.commands += allCommands
            case _ where allCommands.contains(argument): options.commands.append(argument)
            default: usage("unknown argument \(argument)")
            }
        }
        // Memory first: later measurements leave freed pages that would blur RSS.
        if options.commands.isEmpty { options.commands = allCommands }
        return options
    }
}

func usage(_ problem: String?) -> Never {
    if let problem { print("corebench: \(problem)") }
    print("""
        usage: corebench [all|subscribe|separation|churn|memory ...] [--quick] [--out DIR] [--seed N]
          all         every measurement (the default), memory first
          --quick     a smoke run: stores up to 10,000 subscribers, fewer repeats
          --out DIR   where the CSV files go (default bench/results, relative to the current directory)
          --seed N    the SplitMix64 seed (default \(Options().seed))
        """)
    exit(problem == nil ? 0 : 2)
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let started = monotonicNanoseconds()
print("corebench: \(options.quick ? "quick" : "full") run, seed \(options.seed), CSV to \(options.outputDirectory)")

for command in options.commands {
    let commandStarted = monotonicNanoseconds()
    switch command {
    case "memory":
        heading("memory of the store (RSS)")
        var benchmark = MemoryBenchmark(seed: options.seed)
        if options.quick { benchmark.subscribers = 10_000 }
        benchmark.report(benchmark.run(), outputDirectory: options.outputDirectory)
    case "subscribe":
        heading("subscribe / unsubscribe time vs store size (µs)")
        var benchmark = SubscribeBenchmark(seed: options.seed)
        if options.quick {
            benchmark.checkpoints = [0, 1_000, 2_000, 5_000, 10_000]
            benchmark.probes = 100
        }
        SubscribeBenchmark.report(benchmark.run(), outputDirectory: options.outputDirectory)
    case "separation":
        heading("separation time vs message size (µs)")
        SeparationBenchmark.report(SeparationBenchmark(seed: options.seed).run(), outputDirectory: options.outputDirectory)
    case "churn":
        heading("aggregate-profile change detection under churn")
        var benchmark = ChurnBenchmark(seed: options.seed)
        if options.quick {
            benchmark.subscribers = 2_000
            benchmark.operations = 20_000
        }
        benchmark.report(benchmark.run(), outputDirectory: options.outputDirectory)
    default:
        usage("unknown command \(command)")
    }
    print("  (\(command): \(format(microseconds(from: commandStarted, to: monotonicNanoseconds()) / 1e6, 1)) s)")
}
print("\ncorebench: done in \(format(microseconds(from: started, to: monotonicNanoseconds()) / 1e6, 1)) s")
