import ArgumentParser
import BlackboardMonitor

/// `blackboard monitor`: the monitoring service (`serve`) and its queries.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Store workflow, activity and resource events and answer statistics and ETAs.",
        discussion: """
            'serve' subscribes to wf.> and res.>, stores every event in SQLite and answers JSON over \
            HTTP; the other subcommands ask a running 'serve' and print tables (docs/WORKFLOWS.md, \
            "Monitoring service").
            """,
        subcommands: [
            MonitorServeCommand.self, MonitorStatusCommand.self, MonitorActivityCommand.self, MonitorETACommand.self,
        ]
    )
}

/// Where the monitor's HTTP port is, and how to print its answers: `--http HOST:PORT`, `--json`.
struct MonitorHTTPOptions: ParsableArguments {
    /// The port `serve` listens on unless told otherwise (the broker's are 7070 and 7071).
    static let defaultEndpoint = "127.0.0.1:7072"

    @Option(name: .customLong("http"), help: ArgumentHelp(
        "The monitor's HTTP port, HOST:PORT ([v6-address]:PORT for IPv6).", valueName: "host:port"))
    var endpoint = MonitorHTTPOptions.defaultEndpoint

    @Option(name: .customLong("http-timeout"), help: "Seconds to wait for the monitor's answer.")
    var timeout: Double = 5

    @Flag(help: "Print the monitor's JSON answer as it was sent.")
    var json = false

    func validate() throws {
        if AdminOptions.address(of: endpoint) == nil { throw ValidationError("--http must be HOST:PORT, not '\(endpoint)'") }
        if !(timeout > 0) { throw ValidationError("--http-timeout must be positive") }
    }

    /// `GET target` from the monitor; prints the raw answer with `--json` and returns nil,
    /// otherwise returns it parsed.
    func get(_ target: String) throws -> JSONValue? {
        let (host, port) = AdminOptions.address(of: endpoint) ?? ("127.0.0.1", 7072)
        let client = AdminClient(host: host, port: port, endpoint: endpoint, timeoutSeconds: timeout, service: "the monitor")
        let body = try client.get(target)
        if json {
            Terminal.write(body)
            return nil
        }
        do {
            return try JSONValue.parse(body)
        } catch {
            throw AdminError.malformed(service: "the monitor", endpoint: endpoint, reason: "the body of \(target) is not JSON")
        }
    }
}
