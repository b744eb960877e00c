import BlackboardConfig
import BlackboardServer
import Logging

/// SIGHUP: re-reads the configuration and applies what can change live.
///
/// An invalid file is rejected whole: its errors are logged and nothing
/// changes. A valid one has its reloadable keys applied to the broker at once
/// and logged as `changed: key old -> new`; changed keys that need a restart
/// are logged as such and keep their running values. Flags given at start
/// still override the file.
final class Reloader: @unchecked Sendable {
    // @unchecked Sendable: `running` is touched only by `reload`, which runs on
    // the daemon's serial signal queue.
    private let source: ConfigSource
    private var running: Settings
    /// The credentials and access files in force.
    private var runningAuth: AuthConfiguration
    private let broker: Broker
    private let logger: Logger

    init(source: ConfigSource, running: Settings, auth: AuthConfiguration, broker: Broker, logger: Logger) {
        self.source = source
        self.running = running
        self.runningAuth = auth
        self.broker = broker
        self.logger = logger
    }

    /// One reload. Runs on the signal queue.
    func reload() {
        guard let path = source.path else {
            logger.notice("SIGHUP: no --config file given, nothing to reload")
            return
        }
        let wanted: Settings
        switch source.load() {
        case let .success(settings): wanted = settings
        case let .failure(failure):
            for line in failure.lines { logger.error("reload rejected: \(line)") }
            logger.error("reload of \(path) rejected, running configuration kept")
            return
        }
        let next = wanted.reloadable(over: running)
        let applied = next.changes(from: running)
        let needRestart = wanted.changes(from: next)
        // The credentials and access files are re-read on every reload, like the
        // certificates; files that fail to parse leave the running ones in force.
        var configuration = next.serverConfiguration
        switch source.authConfiguration(next) {
        case let .success(auth): configuration.auth = auth
        case let .failure(failure):
            for line in failure.lines { logger.error("credentials or access file not reloaded: \(line)") }
            configuration.auth = runningAuth
        }
        let authChanged = configuration.auth != runningAuth
        if !applied.isEmpty || authChanged { broker.reconfigure(configuration) }
        if authChanged { logger.info("credentials and access files reloaded") }
        running = next
        runningAuth = configuration.auth
        // Certificates are re-read on every reload, changed paths or not: a
        // renewed certificate usually replaces the old file in place.
        if case let .failure(error) = broker.reloadCertificates() {
            logger.error("TLS certificates not reloaded, new connections keep the old ones: \(error)")
        } else if next.tlsEnabled {
            logger.info("TLS certificates reloaded from \(next.tlsCertificate)")
        }
        let changed = applied.isEmpty ? "nothing" : applied.map(\.description).joined(separator: ", ")
        logger.info("configuration reloaded from \(path); changed: \(changed)")
        if !needRestart.isEmpty {
            let list = needRestart.map(\.description).joined(separator: ", ")
            logger.warning("not applied, restart needed: \(list)")
        }
    }
}
