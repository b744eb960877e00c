import ArgumentParser
import BlackboardClient
import BlackboardTLS

/// `--tls`, `--ca`, `--cert`, `--key`: TLS to the broker's client listener
/// (through ``ConnectionOptions``) or its admin port (through ``AdminOptions``).
/// Any of `--ca`, `--cert`, `--key` implies `--tls`.
struct TLSOptions: ParsableArguments {
    @Flag(name: .customLong("tls"), help: "Connect over TLS, trusting the system's CAs unless --ca is given.")
    var enabled = false

    @Option(name: .customLong("ca"), help: ArgumentHelp(
        "PEM CA bundle the broker's certificate must chain to (implies --tls).", valueName: "file"))
    var caFile: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp(
        "PEM client certificate to present, for brokers that ask for one (implies --tls; needs --key).",
        valueName: "file"))
    var certificateFile: String?

    @Option(name: .customLong("key"), help: ArgumentHelp(
        "PEM private key of --cert.", valueName: "file"))
    var privateKeyFile: String?

    @Option(name: .customLong("tls-server-name"), help: ArgumentHelp(
        "The name the broker's certificate must carry (default: the host connected to).", valueName: "name"))
    var serverName: String?

    @Flag(name: .customLong("insecure-skip-hostname-check"), help: """
        For tests only: accept a broker certificate that chains to the CA but names another host. \
        Anyone holding a certificate from that CA could then pose as the broker.
        """)
    var skipsHostnameCheck = false

    func validate() throws {
        if certificateFile != nil && privateKeyFile == nil { throw ValidationError("--cert needs --key") }
        if privateKeyFile != nil && certificateFile == nil { throw ValidationError("--key needs --cert") }
        if !isEnabled && (serverName != nil || skipsHostnameCheck) {
            throw ValidationError("--tls-server-name and --insecure-skip-hostname-check need --tls")
        }
    }

    /// TLS is asked for, by `--tls` or by naming any of its files.
    var isEnabled: Bool { enabled || caFile != nil || certificateFile != nil || privateKeyFile != nil }

    /// The client library's TLS settings; nil for plain TCP.
    var clientTLS: ClientTLS? {
        guard isEnabled else { return nil }
        return ClientTLS(caFile: caFile, certificateFile: certificateFile, privateKeyFile: privateKeyFile,
                         serverName: serverName, verifiesHostName: !skipsHostnameCheck)
    }

    /// The OpenSSL client configuration, for the admin client; nil for plain TCP.
    var configuration: TLSConfiguration? {
        guard isEnabled else { return nil }
        return TLSConfiguration.client(caFile: caFile, certificateChainFile: certificateFile,
                                       privateKeyFile: privateKeyFile)
    }
}
