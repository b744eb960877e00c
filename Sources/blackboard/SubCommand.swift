import ArgumentParser
import BlackboardClient

/// `blackboard sub`: subscribes and prints each delivery as a JSON line.
struct SubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sub",
        abstract: "Subscribe and print each delivery as one JSON line.",
        discussion: """
            Prints {"seq":1,"publisher":"urn:…","ts":1763719200123,"pairs":[["wf:A","x"]]} per \
            delivery (ts: the broker's receive time in ms since the epoch); a value that is not \
            valid UTF-8 appears as {"base64":"…"} in place of its string.

            With --sync, waits until every registered publisher has applied the subscription \
            (SYNC), then prints {"ready":true,"version":V} on standard error: messages published \
            after that line are not filtered away at their source.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Exit after this many deliveries.")
    var count: Int?

    @Flag(help: "Wait until publishers apply the subscription, then print a {\"ready\":…} line on standard error.")
    var sync = false

    @Option(name: .customLong("sync-timeout"), help: "Seconds --sync waits for the publishers.")
    var syncTimeout: Double = 5

    @Flag(help: "Reconnect after a lost connection instead of exiting with status 2.")
    var reconnect = false

    @Argument(help: "Profile entries: a concept, prefix.> (everything below prefix) or > (everything).")
    var entries: [String]

    func validate() throws {
        _ = try profileEntries()
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        if syncTimeout < 0 { throw ValidationError("--sync-timeout must not be negative") }
    }

    func run() async throws {
        try await ExitStatus.guarding(connection) {
            let subscriber = try await Subscriber.connect(connection.configuration(reconnects: reconnect))
            try await subscriber.subscribe(try profileEntries())
            if sync {
                let version = try await subscriber.waitUntilEffective(timeout: .milliseconds(Int64(syncTimeout * 1000)))
                Terminal.writeError(#"{"ready":true,"version":\#(version)}"#)
            }
            var received = 0
            var line: [UInt8] = []
            if count != 0 {
                for try await delivery in subscriber.deliveries {
                    line.removeAll(keepingCapacity: true)
                    JSONLine.append(delivery, to: &line)
                    line.append(0x0A)
                    Terminal.write(line)
                    received += 1
                    if received == count { break }
                }
            }
            await subscriber.close()
        }
    }

    private func profileEntries() throws -> [ProfileEntry] {
        try entries.map { text in
            do {
                return try ProfileEntry(text)
            } catch {
                throw ValidationError("'\(text)' is not a profile entry: \(error)")
            }
        }
    }
}
