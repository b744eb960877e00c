import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The readiness protocol against the real daemon: a socket where `NOTIFY_SOCKET`
/// points, playing systemd's part, hears `READY=1`, a reload bracketed by
/// `RELOADING=1` and `READY=1`, and `STOPPING=1`.
@Suite struct ServiceNotifierTests {
    /// The two forms of `NOTIFY_SOCKET`.
    enum SocketKind: String, CaseIterable, CustomTestStringConvertible {
        case path, abstract
        var testDescription: String { rawValue }

        func make() throws -> NotifySocket {
            switch self {
            case .path: try NotifySocket.atPath()
            case .abstract: try NotifySocket.abstract()
            }
        }
    }

    /// CLOCK_MONOTONIC in microseconds, as the daemon sends it in `MONOTONIC_USEC`.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    @Test(arguments: SocketKind.allCases)
    func readyThenReloadThenStopping(_ kind: SocketKind) throws {
        let notify = try kind.make()
        let file = try ConfigFileTests.ConfigFile("[limits]\nmax_pairs = 2\n")
        let daemon = try Daemon.start(["--config", file.path], environment: ["NOTIFY_SOCKET": notify.name])

        let ready = try notify.waitFor("READY=1")
        #expect(ready.index == 0, "READY=1 is the first message: \(notify.messages)")
        #expect(ready.fields["MAINPID"] == String(daemon.pid))
        #expect(ready.fields["STATUS"] == "listening on 127.0.0.1:\(daemon.port)")

        try file.write("[limits]\nmax_pairs = 5\n")
        let before = Self.monotonicMicroseconds()
        kill(daemon.pid, SIGHUP)
        let reloading = try notify.waitFor("RELOADING=1", after: ready.index + 1)
        let after = Self.monotonicMicroseconds()
        let stamp = try #require(reloading.fields["MONOTONIC_USEC"].flatMap { UInt64($0) })
        #expect((before...after).contains(stamp), "MONOTONIC_USEC \(stamp) not in \(before)...\(after)")
        let reloaded = try notify.waitFor("READY=1", after: reloading.index + 1)
        #expect(reloaded.index == reloading.index + 1)
        // READY=1 follows the reload: its log line is already written.
        try waitUntil("the reload to be logged") { daemon.log.contains("changed: limits.max_pairs 2 -> 5") }

        #expect(try daemon.stop() == 0)
        let stopping = try notify.waitFor("STOPPING=1", after: reloaded.index + 1)
        #expect(stopping.index == reloaded.index + 1)
        notify.drain()
        #expect(notify.messages.count == stopping.index + 1, "nothing after STOPPING=1: \(notify.messages)")
    }

    @Test func anUnreachableNotifySocketIsLoggedAndNotFatal() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-none-\(UUID())/notify.sock")
        let daemon = try Daemon.start([], environment: ["NOTIFY_SOCKET": missing.path])
        try waitUntil("the failed READY=1 to be logged") {
            daemon.log.contains("cannot notify the service manager at NOTIFY_SOCKET=\(missing.path) (READY=1)")
        }
        _ = try RawClient.hello(daemon.port, "urn:test:still-serving")  // throws unless it is serving
        #expect(try daemon.stop() == 0)
    }

    @Test func withoutNotifySocketNothingIsSentOrLogged() throws {
        let daemon = try Daemon.start(["--log-level", "debug"])
        try waitUntil("the admin listener") { daemon.log.contains("admin listening") }
        #expect(try daemon.stop() == 0)
        try waitUntil("the last log line") { daemon.log.contains("stopped") }
        #expect(!daemon.log.contains("service manager"))
    }
}
