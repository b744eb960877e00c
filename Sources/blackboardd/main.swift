// blackboardd: the Blackboard broker daemon. Reads the configuration file and
// flags, starts the broker, reloads on SIGHUP, and stops cleanly on SIGINT or
// SIGTERM. Precedence: key defaults < the --config file < flags given.
import ArgumentParser
import BlackboardConfig
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
        discussion: """
            Listens for publishers and subscribers on TCP (docs/PROTOCOL.md). Settings come from the \
            key defaults, then the --config file, then the flags below, each overriding the one before \
            (docs/CONFIGURATION.md). SIGHUP re-reads the file and applies the keys that can change live.
            """)

    @Option(help: "Configuration file (docs/CONFIGURATION.md); flags override its keys.") var config: String?
    @Flag(help: "Print the configuration file with every key at its default, and exit.")
    var printDefaultConfig = false
    @Option(help: "Check the data directory DIR read-only, print what it holds, and exit (0 usable, 1 damaged).")
    var checkData: String?
    @Option(help: ArgumentHelp(
        "Repair a damaged journal record in DIR: save the journal as blackboard.journal.damaged, cut it at the record, and exit.",
        discussion: "The changes from the damaged record on are lost. Run with the daemon stopped (docs/OPERATIONS.md)."))
    var repairData: String?

    @Option(help: "Address to listen on (listen.host; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on, 0 picks a free one (listen.port; default 7070).") var port: Int?
    @Option(help: "Admin HTTP port, 0 picks a free one (admin.port; default 7071).")
    var adminPort: Int?
    @Option(help: "Data directory of the journal and snapshots, \"\" for none (storage.data_dir).")
    var dataDir: String?
    @Option(help: "When journal appends reach the disk: always, interval, never (storage.fsync).")
    var fsync: String?
    @Option(help: "Longest lease a HELLO is granted, in seconds; 0 turns leases off (leases.max_lease_seconds).")
    var maxLease: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (log.level).")
    var logLevel: String?
    @Option(help: "Longest control or entry line, in bytes (limits.max_line).") var maxLine: Int?
    @Option(help: "Longest concept, in bytes, at most 256 (limits.max_concept).") var maxConcept: Int?
    @Option(help: "Most pairs in one message (limits.max_pairs).") var maxPairs: Int?
    @Option(help: "Largest value, in bytes (limits.max_value).") var maxValue: Int?
    @Option(help: "Largest message, in bytes (limits.max_message).") var maxMessage: Int?
    @Option(help: "Most entries in one profile frame (limits.max_profile).") var maxProfile: Int?
    @Option(help: "Most open client connections (limits.max_connections).") var maxConnections: Int?
    @Option(help: "Bytes queued for a connection before it is cut off (limits.max_pending).") var maxPending: Int?
    @Option(help: "Milliseconds queued output may stay unwritable (liveness.write_deadline_ms).")
    var writeDeadline: Int?
    @Option(help: "Milliseconds of client silence before a ping (liveness.ping_interval_ms).")
    var pingInterval: Int?
    @Option(help: "Unanswered pings before a connection is closed (liveness.ping_max_outstanding).")
    var pingMaxOutstanding: Int?
    @Option(help: "Milliseconds shutdown waits for output to drain (liveness.shutdown_grace_ms).")
    var shutdownGrace: Int?

    /// The flags given on the command line, by key, with their flag names.
    var overrides: [(flag: String, key: String, value: ConfigValue)] {
        let strings: [(String, String, String?)] = [
            ("--host", "listen.host", host), ("--data-dir", "storage.data_dir", dataDir),
            ("--log-level", "log.level", logLevel), ("--fsync", "storage.fsync", fsync),
        ]
        let integers: [(String, String, Int?)] = [
            ("--port", "listen.port", port), ("--admin-port", "admin.port", adminPort),
            ("--max-line", "limits.max_line", maxLine), ("--max-concept", "limits.max_concept", maxConcept),
            ("--max-pairs", "limits.max_pairs", maxPairs), ("--max-value", "limits.max_value", maxValue),
            ("--max-message", "limits.max_message", maxMessage), ("--max-profile", "limits.max_profile", maxProfile),
            ("--max-connections", "limits.max_connections", maxConnections),
            ("--max-pending", "limits.max_pending", maxPending),
            ("--max-lease", "leases.max_lease_seconds", maxLease),
            ("--write-deadline", "liveness.write_deadline_ms", writeDeadline),
            ("--ping-interval", "liveness.ping_interval_ms", pingInterval),
            ("--ping-max-outstanding", "liveness.ping_max_outstanding", pingMaxOutstanding),
            ("--shutdown-grace", "liveness.shutdown_grace_ms", shutdownGrace),
        ]
        return strings.compactMap { flag, key, value in value.map { (flag, key, .string($0)) } }
            + integers.compactMap { flag, key, value in value.map { (flag, key, .integer($0)) } }
    }

    func run() throws {
        if let checkData { throw ExitCode(Self.check(checkData)) }
        if let repairData { throw ExitCode(Self.repair(repairData)) }
        if printDefaultConfig {
            print(ConfigRenderer.renderConfigFile(), terminator: "")
            return
        }
        let source = ConfigSource(path: config, overrides: overrides)
        let settings: Settings
        switch source.load() {
        case let .success(loaded): settings = loaded
        case let .failure(failure):
            for line in failure.lines {
                var text = "blackboardd: \(line)\n"
                _ = text.withUTF8 { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            }
            throw ExitCode(2)
        }

        let level = Logger.Level(rawValue: settings.logLevel.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "blackboardd")
        if let path = config { logger.info("configuration read from \(path)") }

        signal(SIGPIPE, SIG_IGN)
        // A file-size limit (RLIMIT_FSIZE) must fail the write with EFBIG, which the
        // broker answers as a storage failure, not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        var configuration = settings.serverConfiguration
        switch source.authConfiguration(settings) {
        case let .success(auth): configuration.auth = auth
        case let .failure(failure):
            for line in failure.lines { logger.critical("cannot start: \(line)") }
            throw ExitCode(2)
        }
        let broker = Broker(configuration: configuration, logger: logger)
        let notifier: ServiceNotifier
        do {
            notifier = ServiceNotifier(readyStatus: "listening on \(try broker.start())", logger: logger)
        } catch {
            switch error {
            case .storage, .tls, .insecure: logger.critical("cannot start: \(error)")
            case .listen: logger.critical("cannot listen on \(settings.listenHost):\(settings.listenPort): \(error)")
            }
            throw ExitCode(1)
        }

        // The main thread waits here until shutdown has finished, then `run`
        // returns and the process exits 0 (dispatchMain would never return).
        let stopped = DispatchSemaphore(value: 0)
        let signals = DispatchQueue(label: "blackboardd.signals")
        let reloader = Reloader(source: source, running: settings, auth: configuration.auth, broker: broker, logger: logger)
        var sources: [DispatchSourceSignal] = []
        blockSignals([SIGINT, SIGTERM, SIGHUP])
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: signals)
            source.setEventHandler {
                if number == SIGHUP { return notifier.reloading { reloader.reload() } }
                logger.info("signal \(number) received, shutting down")
                notifier.stopping()
                broker.shutdown { stopped.signal() }
            }
            source.resume()
            sources.append(source)
        }
        waitForSignalSources([SIGINT, SIGTERM, SIGHUP])
        notifier.ready()  // only now: a SIGHUP before its handler is set up would kill the daemon or be lost
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

extension Daemon {
    /// `--repair-data DIR`: cuts a damaged journal record (DataDirectory.repair). Exit 0 when
    /// the directory is usable afterwards (repaired or nothing to do), 1 otherwise.
    static func repair(_ directory: String) -> Int32 {
        var standardError = StandardError()
        do {
            guard let repair = try DataDirectory.repair(directory) else {
                print("data directory: \(directory)\nnothing to repair: it loads as it is")
                return 0
            }
            print("data directory: \(directory)")
            print("journal cut at offset \(repair.offset): \(repair.bytesCut) bytes (the damaged record and all after it) removed")
            print("the whole damaged journal was saved as \(repair.savedAs)")
            print(repair.report)
            print("usable: yes")
            return 0
        } catch {
            print("blackboardd: cannot repair: \(error)", to: &standardError)
            if error.isDamage && !error.isRecordDamage {
                print("blackboardd: only a damaged journal record can be repaired; restore a backup", to: &standardError)
            }
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
