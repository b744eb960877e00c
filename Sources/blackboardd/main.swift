// blackboardd: the Blackboard broker daemon. Parses flags, starts the broker,
// and stops it cleanly on SIGINT or SIGTERM.
import ArgumentParser
import BlackboardServer
import BlackboardStorage
import Dispatch
import Logging

#if canImport(Glibc)
import Glibc
#endif

struct Daemon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blackboardd",
        abstract: "The Blackboard publish/subscribe broker.",
        discussion: "Listens for publishers and subscribers on TCP. See docs/PROTOCOL.md.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free port; the bound address is logged).") var port: UInt16 = 7070
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Longest control or entry line, in bytes.") var maxLine = 4096
    @Option(help: "Longest concept, in bytes (at most 256).") var maxConcept = 256
    @Option(help: "Most pairs in one message.") var maxPairs = 100_000
    @Option(help: "Largest value, in bytes.") var maxValue = 8 << 20
    @Option(help: "Largest message (concepts and values), in bytes.") var maxMessage = 16 << 20
    @Option(help: "Most entries in one profile.") var maxProfile = 100_000
    @Option(help: "Most open client connections.") var maxConnections = 10_000
    @Option(help: "Bytes queued for one connection before it is cut off as a slow consumer.") var maxPending = 64 << 20
    @Option(help: "Milliseconds a connection with queued output may stay unwritable.") var writeDeadline: UInt64 = 10_000
    @Option(help: "Milliseconds of client silence before the broker pings it.") var pingInterval: UInt64 = 30_000
    @Option(help: "Unanswered pings before a connection is closed.") var pingMaxOutstanding = 2
    @Option(help: "Milliseconds shutdown waits for pending output to drain.") var shutdownGrace: UInt64 = 5_000
    @Option(help: "Check the data directory DIR read-only, print what it holds, and exit (0 usable, 1 damaged).")
    var checkData: String?

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
        guard (1...256).contains(maxConcept) else { throw ValidationError("--max-concept must be 1...256") }
        guard maxLine >= 64 else { throw ValidationError("--max-line must be at least 64") }
        for (name, value) in [("--max-pairs", maxPairs), ("--max-value", maxValue), ("--max-message", maxMessage),
                              ("--max-profile", maxProfile), ("--max-connections", maxConnections),
                              ("--max-pending", maxPending), ("--ping-max-outstanding", pingMaxOutstanding)]
        where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        guard pingInterval >= 10, writeDeadline >= 10 else {
            throw ValidationError("--ping-interval and --write-deadline must be at least 10 ms")
        }
    }

    func run() throws {
        if let checkData { throw ExitCode(Self.check(checkData)) }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "blackboardd")

        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.limits.maxLineBytes = maxLine
        configuration.limits.maxConceptBytes = maxConcept
        configuration.limits.maxPairs = maxPairs
        configuration.limits.maxValueBytes = maxValue
        configuration.limits.maxMessageBytes = maxMessage
        configuration.limits.maxProfileEntries = maxProfile
        configuration.maxConnections = maxConnections
        configuration.maxPendingBytes = maxPending
        configuration.writeDeadlineMilliseconds = writeDeadline
        configuration.pingIntervalMilliseconds = pingInterval
        configuration.pingMaxOutstanding = pingMaxOutstanding
        configuration.shutdownGraceMilliseconds = shutdownGrace

        signal(SIGPIPE, SIG_IGN)
        let broker = Broker(configuration: configuration, logger: logger)
        do {
            _ = try broker.start()
        } catch {
            logger.critical("cannot listen on \(host):\(port): \(error)")
            throw ExitCode(1)
        }

        // The main thread waits here until shutdown has finished, then `run`
        // returns and the process exits 0 (dispatchMain would never return).
        let stopped = DispatchSemaphore(value: 0)
        let signals = DispatchQueue(label: "blackboardd.signals")
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: signals)
            source.setEventHandler {
                logger.info("signal \(number) received, shutting down")
                broker.shutdown { stopped.signal() }
            }
            source.resume()
            sources.append(source)
        }
        stopped.wait()
        for source in sources { source.cancel() }
    }
}

extension Daemon {
    /// `--check-data DIR`: loads DIR without locking or changing anything and prints the
    /// report on stdout; damage goes to stderr with its file and offset. Returns the exit status.
    static func check(_ directory: String) -> Int32 {
        do {
            let (state, report) = try DataDirectory.check(directory)
            print("data directory: \(directory)")
            print(report)
            for (uri, subscriber) in state.subscribers.sorted(by: { $0.key < $1.key }) {
                let status = subscriber.disconnectedAt.map { "disconnected at \($0)" } ?? "connected"
                print("subscriber \(uri): \(subscriber.entries.count) entries, lease \(subscriber.leaseSeconds) s, \(status)")
            }
            for (uri, publisher) in state.publishers.sorted(by: { $0.key < $1.key }) {
                let acknowledged = publisher.acknowledged.map(String.init) ?? "none"
                let status = publisher.disconnectedAt.map { "disconnected at \($0)" } ?? "connected"
                print("publisher \(uri): lease \(publisher.leaseSeconds) s, acknowledged \(acknowledged), \(status)")
            }
            print("usable: yes")
            return 0
        } catch {
            print("data directory: \(directory)")
            print("usable: no")
            var standardError = StandardError()
            print("blackboardd: \(error)", to: &standardError)
            return 1
        }
    }
}

/// stderr as a TextOutputStream.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        while !bytes.isEmpty {
            let written = Glibc.write(2, bytes, bytes.count)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            bytes.removeFirst(written)
        }
    }
}

Daemon.main()
