import ArgumentParser

/// Where the broker's admin port is (`--admin HOST:PORT`), and how to reach it (``TLSOptions``).
struct AdminOptions: ParsableArguments {
    @Option(name: .customLong("admin"), help: ArgumentHelp(
        "The broker's admin port, HOST:PORT ([v6-address]:PORT for IPv6).", valueName: "host:port"))
    var endpoint = "127.0.0.1:7071"

    @Option(name: .customLong("admin-timeout"), help: "Seconds to wait for each admin answer.")
    var timeout: Double = 5

    @OptionGroup(title: "TLS (for an admin port with tls.admin = true)") var tls: TLSOptions
    @Option(name: .customLong("admin-token"), help: ArgumentHelp(
        "Token for an admin port with admin.require_token (or set BLACKBOARD_TOKEN).", valueName: "name.secret"))
    var token: String?

    func validate() throws {
        if address == nil { throw ValidationError("--admin must be HOST:PORT, not '\(endpoint)'") }
        if !(timeout > 0) { throw ValidationError("--admin-timeout must be positive") }
    }

    /// The host and port of ``endpoint``; nil when it is not `HOST:PORT`.
    var address: (host: String, port: UInt16)? { Self.address(of: endpoint) }

    /// The host and port of `endpoint` (`HOST:PORT`, `[v6-address]:PORT`); nil when it is neither.
    static func address(of endpoint: String) -> (host: String, port: UInt16)? {
        guard let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...])
        else { return nil }
        var host = endpoint[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains("[") && !host.contains("]") else { return nil }
        return (String(host), port)
    }

    /// An HTTP client for this endpoint.
    func client() -> AdminClient {
        let (host, port) = address ?? ("127.0.0.1", 7071)
        var client = AdminClient(host: host, port: port, endpoint: endpoint, timeoutSeconds: timeout)
        client.tls = tls.configuration.map { AdminClient.TLS(configuration: $0, serverName: tls.serverName ?? host,
                                                               verifiesHostName: !tls.skipsHostnameCheck) }
        client.token = token ?? CredentialOptions.environment("BLACKBOARD_TOKEN")
        return client
    }
}
