import ArgumentParser
import BlackboardClient

/// `blackboard pub`: publishes one message from the arguments, or one per JSON line of standard input.
struct PubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pub",
        abstract: "Publish one message, or one message per JSON line read from standard input.",
        discussion: """
            With pairs on the command line, publishes them as one message: each argument is \
            concept=value, split at the first '='. Without pairs, reads standard input: one JSON \
            object per line, e.g. {"wf:A":"x","res:CPU":"12"}, published in key order; values are \
            strings (numbers, true and false are taken as written; {"base64":"…"} gives raw bytes).

            By default registers as a publisher, waits for the aggregate profile, drops the pairs \
            no subscriber wants before sending, and reports on standard error how many were \
            dropped. --no-filter publishes everything without registering. Exits once the broker \
            has confirmed the end of the session (QUIT), so every message was processed.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .customLong("no-filter"), help: "Publish every pair without registering as a publisher.")
    var noFilter = false

    @Flag(name: .shortAndLong, help: "Do not report the number of dropped pairs.")
    var quiet = false

    @Argument(help: "concept=value pairs of one message; none: read JSON lines from standard input.")
    var pairs: [String] = []

    func validate() throws {
        _ = try parsedPairs()
    }

    func run() async throws {
        try await ExitStatus.guarding(connection) {
            let publisher = try await Publisher.connect(connection.configuration(reconnects: false), filtering: !noFilter)
            var totals = PublishResult(sentPairs: 0, droppedPairs: 0)
            var messages = 0
            func send(_ message: [Pair]) throws {
                let result = try publisher.publish(message)
                totals.sentPairs += result.sentPairs
                totals.droppedPairs += result.droppedPairs
                if result.wasSent { messages += 1 }
            }
            let arguments = try parsedPairs()
            if arguments.isEmpty {
                var lineNumber = 0
                while let line = readLine(strippingNewline: true) {
                    lineNumber += 1
                    if line.allSatisfy(\.isWhitespace) { continue }
                    do {
                        try send(try JSONLine.pairs(from: line))
                    } catch let error as JSONLineError {
                        throw InputError(description: "standard input line \(lineNumber): \(error)")
                    }
                }
            } else {
                try send(arguments)
            }
            try await publisher.flush()
            await publisher.close()
            if !noFilter && !quiet {
                Terminal.writeError(Self.report(totals, messages: messages))
            }
        }
    }

    /// The summary on standard error, e.g.
    /// `blackboard: sent 2 pairs in 1 message; dropped 1 pair that no subscriber wants`.
    static func report(_ totals: PublishResult, messages: Int) -> String {
        func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        return "blackboard: sent \(plural(totals.sentPairs, "pair")) in \(plural(messages, "message")); "
            + "dropped \(plural(totals.droppedPairs, "pair")) that no subscriber wants"
    }

    private func parsedPairs() throws -> [Pair] {
        try pairs.map { argument in
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw ValidationError("'\(argument)' is not concept=value")
            }
            return Pair(String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
    }
}
