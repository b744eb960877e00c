import Dispatch

/// Live changes of the configuration (the daemon's SIGHUP).
extension Broker {
    /// Installs `new` on the running broker, except `host` and `port` and their admin
    /// counterparts (the listeners stay bound where it is), `storage` (the data directory
    /// stays open as it is) and `SYNC` timeouts, which keep their values. Runs on `queue`
    /// and returns once it is in force:
    ///
    /// - frame limits apply to every open session from the next line its
    ///   decoder reads (``CommandDecoder/limits``), and to new sessions;
    /// - `maxConnections` to the next accept, `maxPendingBytes` to the next
    ///   check of each session's backlog, the shutdown grace to the next shutdown;
    /// - ping interval, unanswered pings and write deadline to the next
    ///   liveness tick; the timer is rescheduled when its period changes;
    /// - the lease maximum to the next `HELLO` (leases granted stay as granted);
    /// - credentials to the next `HELLO`; the access file to every session's next
    ///   `SUB`, `ADD` and `PUB` (identities stay; profiles already held are kept).
    ///   `auth.enabled` and `listen.plain_loopback_only` keep their values.
    ///
    /// Cost O(sessions).
    public func reconfigure(_ new: ServerConfiguration) {
        queue.sync {
            var applied = new
            applied.host = configuration.host
            applied.port = configuration.port
            applied.adminHost = configuration.adminHost
            applied.adminPort = configuration.adminPort
            applied.storage = configuration.storage
            applied.syncDefaultTimeoutMilliseconds = configuration.syncDefaultTimeoutMilliseconds
            applied.syncMaxTimeoutMilliseconds = configuration.syncMaxTimeoutMilliseconds
            applied.auth.clientsAuthenticate = configuration.auth.clientsAuthenticate
            applied.plainLoopbackOnly = configuration.plainLoopbackOnly
            let old = configuration
            configuration = applied
            if applied.auth.policy != old.auth.policy { reapplyAccessPolicy() }
            if applied.auth.credentials != old.auth.credentials { authenticator.forget() }
            if applied.limits != old.limits {
                for session in sessions.values { session.decoder.limits = applied.limits }
            }
            let timerChanged = applied.pingIntervalMilliseconds != old.pingIntervalMilliseconds
                || applied.writeDeadlineMilliseconds != old.writeDeadlineMilliseconds
            if timerChanged, let timer = livenessTimer, !isShuttingDown {
                timer.cancel()
                startLivenessTimer()
            }
        }
    }
}
