import BlackboardAccess
import BlackboardConfig
import BlackboardServer
import BlackboardStorage
import BlackboardTLS

#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon's settings come from: the key defaults, the `--config`
/// file if any, and the flags given, each over the one before. Read at start
/// and again on every SIGHUP.
struct ConfigSource: Sendable {
    /// Why the settings could not be made, as lines for stderr or the log.
    struct Failure: Error {
        let lines: [String]
    }

    /// The `--config` file, if one was given.
    let path: String?
    /// The flags given, by key.
    let overrides: [(flag: String, key: String, value: ConfigValue)]

    /// The settings, or every problem: `FILE:LINE: key: message` for the
    /// file, `--flag: message` for a flag.
    func load() -> Result<Settings, Failure> {
        var settings = Settings.defaults
        if let path {
            let text: String
            switch readFile(path) {
            case let .success(read): text = read
            case let .failure(failure): return .failure(failure)
            }
            do {
                settings = try Settings.parse(text: text)
            } catch {
                return .failure(Failure(lines: error.errors.map { problem in
                    "\(path):\(problem.line ?? 0): " + (problem.key.map { "\($0): " } ?? "") + problem.message
                }))
            }
        }
        let byKey = Dictionary(overrides.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        do {
            return .success(try settings.applying(overrides: byKey))
        } catch {
            return .failure(Failure(lines: error.errors.map { problem in
                let flag = overrides.first { $0.key == problem.key }?.flag ?? problem.key ?? "?"
                return "\(flag): \(problem.message)"
            }))
        }
    }

    /// The whole file as text (invalid UTF-8 is replaced, and then fails to parse).
    func readFile(_ path: String) -> Result<String, Failure> {
        guard let file = fopen(path, "r") else {
            return .failure(Failure(lines: ["\(path): \(String(cString: strerror(errno)))"]))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            bytes += chunk[..<count]
            if count < chunk.count {
                if ferror(file) != 0 {
                    return .failure(Failure(lines: ["\(path): \(String(cString: strerror(errno)))"]))
                }
                return .success(String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}

extension Settings {
    /// The broker's share of the settings. The storage and lease keys are not
    /// used yet (persistence comes with the durable-state issue); the log
    /// level is applied by the daemon.
    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = listenHost
        configuration.port = UInt16(listenPort)
        configuration.adminHost = adminHost
        configuration.adminPort = UInt16(adminPort)
        configuration.limits.maxLineBytes = maxLine
        configuration.limits.maxConceptBytes = maxConcept
        configuration.limits.maxPairs = maxPairs
        configuration.limits.maxValueBytes = maxValue
        configuration.limits.maxMessageBytes = maxMessage
        configuration.limits.maxProfileEntries = maxProfile
        configuration.maxConnections = maxConnections
        configuration.maxPendingBytes = maxPending
        configuration.writeDeadlineMilliseconds = UInt64(writeDeadlineMilliseconds)
        configuration.pingIntervalMilliseconds = UInt64(pingIntervalMilliseconds)
        configuration.pingMaxOutstanding = pingMaxOutstanding
        configuration.shutdownGraceMilliseconds = UInt64(shutdownGraceMilliseconds)
        configuration.maxLeaseSeconds = UInt32(maxLeaseSeconds)
        configuration.plainLoopbackOnly = plainLoopbackOnly
        if tlsEnabled {
            var tls = TLSConfiguration.server(certificateChainFile: tlsCertificate, privateKeyFile: tlsKey,
                                              caFile: tlsCA.isEmpty ? nil : tlsCA,
                                              verification: TLSVerification(rawValue: tlsVerify.rawValue) ?? .required)
            tls.minimumVersion = TLSProtocolVersion(rawValue: tlsMinVersion.rawValue) ?? .tls13
            tls.ciphers = tlsCiphers.isEmpty ? nil : tlsCiphers
            configuration.tls = tls
        }
        configuration.adminTLS = tlsAdmin
        configuration.handshakeTimeoutMilliseconds = UInt64(tlsHandshakeTimeoutMilliseconds)
        if !dataDirectory.isEmpty {
            var storage = StorageConfiguration(directory: dataDirectory)
            storage.fsync = BlackboardStorage.FsyncPolicy(rawValue: fsync.rawValue) ?? .always
            storage.fsyncIntervalMilliseconds = UInt64(fsyncIntervalMilliseconds)
            storage.snapshotThresholdBytes = snapshotThresholdBytes
            configuration.storage = storage
        }
        return configuration
    }
}

extension ConfigSource {
    /// The `[auth]` and admin credential settings with the credentials and
    /// access files read and parsed; every problem as `FILE:LINE: message`.
    /// The files are read when a key names them, whether or not auth is
    /// enabled (the admin port may use them alone).
    func authConfiguration(_ settings: Settings) -> Result<AuthConfiguration, Failure> {
        var auth = AuthConfiguration()
        auth.clientsAuthenticate = settings.authEnabled
        auth.adminRequiresCredentials = settings.adminRequireToken
        auth.metricsOpenOnLoopback = settings.adminMetricsOpenOnLoopback
        auth.certificateIdentity = switch settings.authCertIdentity {
        case .none: .none
        case .cn: .commonName
        case .san: .alternativeName
        }
        auth.failureDelayMilliseconds = UInt64(settings.authFailureDelayMilliseconds)
        auth.failureDelayMaxMilliseconds = UInt64(max(settings.authFailureDelayMaxMilliseconds, settings.authFailureDelayMilliseconds))
        let needsFiles = settings.authEnabled || settings.adminRequireToken
        if needsFiles && settings.authAccess.isEmpty {
            return .failure(Failure(lines: ["auth.access: an access file is required when auth.enabled or admin.require_token is set"]))
        }
        if !settings.authCredentials.isEmpty {
            switch parseAuthFile(settings.authCredentials, CredentialsFile.init(parsing:)) {
            case let .failure(failure): return .failure(failure)
            case let .success(file): auth.credentials = file.entries
            }
        }
        if !settings.authAccess.isEmpty {
            switch parseAuthFile(settings.authAccess, AccessPolicy.init(parsing:)) {
            case let .failure(failure): return .failure(failure)
            case let .success(policy): auth.policy = policy
            }
        }
        return .success(auth)
    }

    /// Reads the credentials or access file at `path` and parses it; an error names
    /// the file and line.
    private func parseAuthFile<Parsed>(
        _ path: String, _ parse: (String) throws(AccessFileError) -> Parsed
    ) -> Result<Parsed, Failure> {
        readFile(path).flatMap { text in
            do throws(AccessFileError) {
                return .success(try parse(text))
            } catch {
                return .failure(Failure(lines: ["\(path):\(error.line): \(error.message)"]))
            }
        }
    }
}
