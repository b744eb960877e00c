import ArgumentParser
import BlackboardClient

/// The options every subcommand takes: where the broker is, how to reach it
/// (``TLSOptions``) and who we are.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The broker's host name or address.")
    var host = "127.0.0.1"

    @Option(help: "The broker's TCP port.")
    var port: UInt16 = 7070

    @Option(help: "The client URI sent in HELLO (default: a generated urn:blackboard:client:…).")
    var uri: String?

    @Option(help: "A human-readable client name, shown in the broker's listings.")
    var name: String?

    @Option(help: "Seconds the broker keeps this client's registrations after it disconnects (HELLO lease=; use with --uri).")
    var lease: Int?

    @OptionGroup(title: "TLS") var tls: TLSOptions
    @OptionGroup var auth: CredentialOptions

    /// `host:port`, as errors print it.
    var endpoint: String { configuration(reconnects: false).endpoint }

    /// The client configuration these options describe.
    func configuration(reconnects: Bool) -> ClientConfiguration {
        var configuration = ClientConfiguration(host: host, port: port, name: name ?? "blackboard")
        if let uri { configuration.uri = uri }
        configuration.leaseSeconds = lease
        configuration.reconnects = reconnects
        configuration.tls = tls.clientTLS
        configuration.credentials = auth.credentials
        return configuration
    }
}
