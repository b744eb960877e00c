import ArgumentParser
import BlackboardClient

/// `blackboard log`: the logging service. Subscribes to a profile and appends every
/// delivery as one JSON line to a file (rotated by size) or to standard output.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Append every delivery of a profile to a file as JSON lines, rotating it by size.",
        discussion: """
            Each line is what 'blackboard sub' prints plus the logger's receive time:
            {"seq":1,"publisher":"urn:…","ts":1763719200123,"pairs":[["wf.activity.Closed","{…}"]],"received":1763719200125}
            (ts: the broker's receive time; received: the logger's; both ms since the epoch).

            Without --out, lines go to standard output. With --out FILE and --max-bytes N, the file \
            is rotated before a line would take it past N bytes: FILE.(K-1) -> FILE.K, …, FILE -> FILE.1, \
            oldest dropped (--keep K; 0 keeps none). Lines are never split. Each line is written (one \
            write(2), O_APPEND) as it arrives; nothing is fsynced.

            Reconnects after a lost connection. With --uri and --lease the broker keeps the \
            subscription while the logger is away (restart, network blip), so publishers keep \
            producing for it; deliveries made while it is away are missed (the broker counts them), \
            not queued. SIGINT or SIGTERM stops it cleanly (exit 0); a second one exits at once.

            Exit status: 0 stopped by a signal; 1 usage error or the file cannot be written; 2 cannot \
            connect, or the connection was taken over by another client with the same URI.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The file to append to (default: standard output).")
    var out: String?

    @Option(name: .customLong("max-bytes"), help: "Rotate before a line would take the file past this many bytes (0: never).")
    var maxBytes = 64 << 20

    @Option(help: "Rotated files to keep (FILE.1 … FILE.K); 0 keeps none.")
    var keep = 5

    @Flag(help: "Wait until publishers apply the subscription, then print a {\"ready\":…} line on standard error.")
    var sync = false

    @Option(name: .customLong("sync-timeout"), help: "Seconds --sync waits for the publishers.")
    var syncTimeout: Double = 5

    @Argument(help: "Profile entries: a concept, prefix.> or > (default: >, everything).")
    var entries: [String] = []

    func validate() throws {
        _ = try profileEntries()
        if maxBytes < 0 { throw ValidationError("--max-bytes must not be negative") }
        if keep < 0 { throw ValidationError("--keep must not be negative") }
        if syncTimeout < 0 { throw ValidationError("--sync-timeout must not be negative") }
    }

    func run() async throws {
        let subscriber = Locked<Subscriber?>(nil)
        ShutdownSignals.install { _, count in
            guard count == 1, let current = subscriber.withLock({ $0 }) else { Terminal.exit(0) }
            Task { await current.close() }
        }
        let file: LogFile
        do {
            file = try out.map { try LogFile(path: $0, maxBytes: maxBytes, keep: keep) } ?? LogFile()
        } catch {
            Terminal.writeError("blackboard: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        try await ExitStatus.guarding(connection) {
            let connected = try await Subscriber.connect(connection.configuration(reconnects: true))
            subscriber.withLock { $0 = connected }
            try await connected.subscribe(try profileEntries())
            if sync {
                let version = try await connected.waitUntilEffective(timeout: .milliseconds(Int64(syncTimeout * 1000)))
                Terminal.writeError(#"{"ready":true,"version":\#(version)}"#)
            }
            var line: [UInt8] = []
            for try await delivery in connected.deliveries {
                line.removeAll(keepingCapacity: true)
                Self.append(delivery, received: WallClock.milliseconds(), to: &line)
                do {
                    try file.append(line)
                } catch {
                    await connected.close()
                    throw InputError(description: "\(error)")
                }
            }
        }
    }

    /// One log line: the delivery as `blackboard sub` prints it with `"received":MS`
    /// added before the closing brace, and a newline.
    static func append(_ delivery: Delivery, received: Int64, to line: inout [UInt8]) {
        JSONLine.append(delivery, to: &line)
        line.removeLast()  // the delivery object's closing brace
        line += Array(#","received":\#(received)}"#.utf8)
        line.append(0x0A)
    }

    private func profileEntries() throws -> [ProfileEntry] {
        try (entries.isEmpty ? [">"] : entries).map { text in
            do {
                return try ProfileEntry(text)
            } catch {
                throw ValidationError("'\(text)' is not a profile entry: \(error)")
            }
        }
    }
}
