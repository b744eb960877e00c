// The service manager's readiness protocol (sd_notify(3)), spoken without libsystemd.
//
// A service manager that wants to hear from the daemon (systemd with Type=notify)
// puts the address of a datagram socket in the environment:
//
//   NOTIFY_SOCKET=/run/systemd/notify     an AF_UNIX socket at a filesystem path
//   NOTIFY_SOCKET=@name                   an abstract AF_UNIX socket: sun_path holds a
//                                         NUL byte, then `name`, with no NUL at the end
//
// Each message is one datagram of `KEY=VALUE` lines separated by "\n". The daemon sends:
//
//   READY=1, STATUS=…, MAINPID=<pid>          once the listeners are up and the signal
//                                             handlers in place (and, with persistence,
//                                             the state is loaded)
//   RELOADING=1, STATUS=…, MONOTONIC_USEC=…   when a SIGHUP reload begins; the time is
//                                             CLOCK_MONOTONIC in microseconds, which
//                                             Type=notify-reload (systemd 253+) requires
//   READY=1, STATUS=…                         when that reload has finished, applied or not
//   STOPPING=1, STATUS=…                      when SIGTERM or SIGINT shutdown begins
//
// Without NOTIFY_SOCKET nothing is sent. A failed send is logged and never stops the
// daemon: the service manager's own timeout is the judge of a daemon that never reports.
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Tells the service manager (systemd) when the daemon is ready, reloading and stopping.
///
/// Callable from any thread: every message opens, uses and closes its own socket.
struct ServiceNotifier: Sendable {
    /// The `NOTIFY_SOCKET` address, or `nil` when no service manager is listening.
    let socketName: String?
    /// The `STATUS=` text sent with `READY=1`, shown by `systemctl status`.
    let readyStatus: String
    private let logger: Logger

    /// A notifier for the `NOTIFY_SOCKET` in the environment (if any), which reports
    /// `readyStatus` whenever the daemon is ready.
    init(readyStatus: String, logger: Logger) {
        self.socketName = getenv("NOTIFY_SOCKET").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        self.readyStatus = readyStatus
        self.logger = logger
    }

    /// Start-up is complete: the daemon is serving.
    func ready() {
        send("READY=1\nSTATUS=\(readyStatus)\nMAINPID=\(getpid())")
    }

    /// Runs `reload` between `RELOADING=1` and `READY=1`, so the service manager
    /// counts the reload as in progress until it has finished.
    func reloading(_ reload: () -> Void) {
        send("RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
        reload()
        send("READY=1\nSTATUS=\(readyStatus)")
    }

    /// Shutdown has begun.
    func stopping() {
        send("STOPPING=1\nSTATUS=shutting down")
    }

    /// Sends `message` as one datagram; `false` (and a warning in the log) if it could not be sent.
    @discardableResult
    func send(_ message: String) -> Bool {
        guard let socketName else { return false }
        let summary = message.split(separator: "\n").first.map(String.init) ?? ""
        do {
            try Self.sendDatagram(message, to: socketName)
            logger.debug("notified the service manager: \(summary)")
            return true
        } catch {
            logger.warning("cannot notify the service manager at NOTIFY_SOCKET=\(socketName) (\(summary)): \(error)")
            return false
        }
    }

    /// CLOCK_MONOTONIC in microseconds, the clock systemd reads for `MONOTONIC_USEC`.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}

extension ServiceNotifier {
    /// The `sockaddr_un` for a `NOTIFY_SOCKET` value, and the length to pass with it.
    ///
    /// A path needs its terminating NUL inside `sun_path`; an abstract name does not
    /// have one, and the kernel takes exactly `length` bytes of it as the name.
    static func address(for name: String) throws(NotifyError) -> (sockaddr_un, socklen_t) {
        var bytes = Array(name.utf8)
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract {
            bytes[0] = 0
        } else if bytes.first != UInt8(ascii: "/") {
            throw NotifyError(operation: "NOTIFY_SOCKET is neither an absolute path nor an @abstract name", code: 0)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let used = bytes.count + (isAbstract ? 0 : 1)
        guard bytes.count > 1, used <= capacity else {
            throw NotifyError(operation: "NOTIFY_SOCKET must name a socket in at most \(capacity - 1) bytes", code: 0)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path.copyBytes(from: bytes)
        }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? MemoryLayout<sa_family_t>.size
        return (address, socklen_t(offset + used))
    }

    /// Sends one datagram to `name` from a fresh, close-on-exec socket. Retries `EINTR`;
    /// gives up after a second if the receiver's queue stays full, so the daemon never
    /// hangs on its service manager.
    static func sendDatagram(_ message: String, to name: String) throws(NotifyError) {
        let (unixAddress, length) = try address(for: name)
        var address = unixAddress
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw NotifyError(operation: "socket", code: errno) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(message.utf8)
        while true {
            let sent = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
            if sent == bytes.count { return }
            if sent < 0 && errno == EINTR { continue }
            throw NotifyError(operation: "sendto", code: sent < 0 ? errno : EMSGSIZE)
        }
    }
}
