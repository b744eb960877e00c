import ArgumentParser
import BlackboardClient
import BlackboardMonitor
import BlackboardTransport
import Synchronization

/// `blackboard monitor serve`: subscribes to the workflow and resource events, stores
/// them, and answers over HTTP until SIGINT or SIGTERM.
struct MonitorServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Subscribe to wf.> and res.>, store every event, and answer queries over HTTP.",
        discussion: """
            Logs to standard error: 'blackboard: monitor listening on HOST:PORT', then, once the \
            subscription is in effect at every registered publisher, 'blackboard: monitor subscribed \
            (profile version V)'.

            The subscription is leased (--lease, default 300 s) under a stable URI (--uri, default \
            urn:blackboard:monitor), so a restart within the lease keeps publishers producing the \
            events; what is published while the monitor is away is missed, not queued. Run one \
            monitor per URI: a second one with the same URI takes the subscription over.

            If the broker cannot be reached the monitor keeps serving what it stored and retries. \
            SIGINT or SIGTERM stops it cleanly (exit 0); a second one exits at once.
            """
    )

    /// The URI the monitor uses unless `--uri` says otherwise.
    static let defaultURI = "urn:blackboard:monitor"
    /// The lease unless `--lease` says otherwise, in seconds.
    static let defaultLease = 300

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The SQLite database file (created if missing).")
    var db = "blackboard-monitor.db"

    @Option(name: .customLong("http"), help: ArgumentHelp("Where to serve HTTP, HOST:PORT (port 0: any free port).",
                                                          valueName: "host:port"))
    var http = MonitorHTTPOptions.defaultEndpoint

    @Option(name: .customLong("default-estimate"), help: "Seconds the ETA assumes for an activity with no past run.")
    var defaultEstimate: Double = 60

    func validate() throws {
        if AdminOptions.address(of: http) == nil { throw ValidationError("--http must be HOST:PORT, not '\(http)'") }
        if !(defaultEstimate >= 0) { throw ValidationError("--default-estimate must not be negative") }
    }

    func run() async throws {
        let stopping = Locked<(requested: Bool, subscriber: Subscriber?)>((false, nil))
        ShutdownSignals.install { _, count in
            let subscriber = stopping.withLock { state in
                state.requested = true
                return state.subscriber
            }
            if count > 1 { Terminal.exit(0) }
            if let subscriber { Task { await subscriber.close() } }
        }
        let store: MonitorStore
        do {
            store = try MonitorStore(path: db, defaultEstimateMilliseconds: Int64(defaultEstimate * 1000))
        } catch {
            Terminal.writeError("blackboard: cannot open the monitor database \(db): \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        var configuration = connection.configuration(reconnects: true)
        configuration.uri = connection.uri ?? Self.defaultURI
        configuration.leaseSeconds = connection.lease ?? Self.defaultLease
        configuration.name = connection.name ?? "blackboard-monitor"
        let ingestErrors = Atomic<Int>(0)
        let health: @Sendable () -> [String: JSONValue] = { [configuration] in
            let subscriber = stopping.withLock { $0.subscriber }
            return [
                "broker": .string(configuration.endpoint), "uri": .string(configuration.uri),
                "subscribed": .bool(subscriber != nil), "ingest_errors": JSONValue(ingestErrors.load(ordering: .relaxed)),
                "deliveries": JSONValue(subscriber.map { Int($0.statistics.deliveries) }),
                "reconnects": JSONValue(subscriber.map { Int($0.statistics.reconnects) }),
            ]
        }
        let responder = MonitorResponder(store: store, health: health, clock: { WallClock.milliseconds() })
        let server: MonitorHTTPServer
        do {
            let (host, port) = AdminOptions.address(of: http)!
            server = try MonitorHTTPServer(host: host, port: port) { responder.respond(to: $0) }
        } catch {
            Terminal.writeError("blackboard: cannot serve HTTP on \(http): \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        server.start()
        defer { server.stop() }
        Terminal.writeError("blackboard: monitor listening on \(server.address) (database \(db))")

        try await ExitStatus.guarding(connection) {
            guard let subscriber = try await connect(configuration, stopping: stopping) else { return }
            try await subscriber.subscribe([try ProfileEntry("wf.>"), try ProfileEntry("res.>")])
            do {
                let version = try await subscriber.waitUntilEffective(timeout: .seconds(10))
                Terminal.writeError("blackboard: monitor subscribed (profile version \(version))")
            } catch ClientError.timeout {
                Terminal.writeError("blackboard: monitor subscribed; some publisher has not applied it yet (SYNC timed out)")
            }
            for try await delivery in subscriber.deliveries {
                do {
                    try store.ingest(delivery, received: WallClock.milliseconds())
                } catch {
                    // Keep serving: one failed write (a full disk) must not stop the monitor.
                    if ingestErrors.add(1, ordering: .relaxed).newValue <= 10 {
                        Terminal.writeError("blackboard: monitor could not store delivery \(delivery.sequence): \(error)")
                    }
                }
            }
        }
    }

    /// Connects, retrying with backoff while the broker cannot be reached (the HTTP port
    /// keeps answering meanwhile); nil when a shutdown signal came first.
    private func connect(_ configuration: ClientConfiguration,
                         stopping: Locked<(requested: Bool, subscriber: Subscriber?)>) async throws -> Subscriber? {
        var attempt = 0
        while true {
            if stopping.withLock({ $0.requested }) { return nil }
            do {
                let subscriber = try await Subscriber.connect(configuration)
                let stopped = stopping.withLock { state in
                    state.subscriber = subscriber
                    return state.requested
                }
                if stopped {
                    await subscriber.close()
                    return nil
                }
                return subscriber
            } catch let error as ClientError {
                guard case .connectionFailed = error else { throw error }
                if attempt == 0 { Terminal.writeError("blackboard: \(error); retrying") }
                let backoff = ReconnectBackoff(initial: .milliseconds(200), maximum: .seconds(5))
                try? await Task.sleep(for: backoff.delay(forAttempt: attempt))
                attempt += 1
            }
        }
    }
}
