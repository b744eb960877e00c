import BlackboardProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `blackboardd --config FILE`: the file's values in force over a real socket,
/// errors with their lines, flags over the file, and SIGHUP reloads.
@Suite struct ConfigFileTests {
    /// A config file in a fresh temporary directory.
    final class ConfigFile {
        let directory: URL
        let url: URL
        var path: String { url.path }

        init(_ text: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-config-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            url = directory.appendingPathComponent("blackboard.conf")
            try write(text)
        }

        func write(_ text: String) throws { try text.write(to: url, atomically: true, encoding: .utf8) }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    /// Whether a fresh publisher's `PUB` of three pairs is accepted; false if
    /// refused with `too_many_pairs`.
    func threePairsAccepted(port: UInt16) throws -> Bool {
        let client = try RawClient.hello(port, "urn:test:three-\(UUID())")
        try client.send(pub(("a", "1"), ("b", "2"), ("c", "3")) + "PING\r\n")
        let reply = try client.readReply(until: { $0 == .pong || $0.errorCode != nil })
        if reply == .pong { return true }
        #expect(reply.errorCode == "too_many_pairs", "PUB 3 answered \(reply)")
        return false
    }

    @Test func aLimitFromTheFileIsInForce() throws {
        let file = try ConfigFile("[limits]\nmax_pairs = 2\n")
        let daemon = try Daemon.start(["--config", file.path])
        #expect(try !threePairsAccepted(port: daemon.port))
        #expect(try daemon.stop() == 0)
    }

    @Test func aFlagOverridesTheFile() throws {
        let file = try ConfigFile("[limits]\nmax_pairs = 2\n[listen]\nport = 1\n")
        let daemon = try Daemon.start(["--config", file.path, "--max-pairs", "3"])
        #expect(try threePairsAccepted(port: daemon.port))
    }

    @Test func aBadFileStopsTheDaemonWithStatus2AndEveryErrorsLine() throws {
        let file = try ConfigFile("[limits]\nmax_pairs = 0\n\n[nowhere]\n[log]\nlevel = loud\n")
        let process = Process()
        process.executableURL = productsDirectory().appendingPathComponent("blackboardd")
        process.arguments = ["--config", file.path, "--port", "0"]
        let stderr = SharedText()
        process.standardError = stderr.pipe()
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitUntil("blackboardd to exit") { !process.isRunning }
        #expect(process.terminationStatus == 2)
        try waitUntil("the errors on stderr") { stderr.value.contains("\(file.path):6:") }
        #expect(stderr.value.contains("\(file.path):2: limits.max_pairs: must be in 1..."))
        #expect(stderr.value.contains("\(file.path):4: nowhere: unknown section"))
        #expect(!stderr.value.contains("listening"))
    }

    @Test func sighupAppliesANewLimitAndLogsTheChange() throws {
        let file = try ConfigFile("[limits]\nmax_pairs = 2\n")
        let daemon = try Daemon.start(["--config", file.path])
        #expect(try !threePairsAccepted(port: daemon.port))
        // The port is a flag (the test support passes --port 0), so the file's port stays unused.
        try file.write("[limits]\nmax_pairs = 5\n[listen]\nport = 1\n[log]\nlevel = \"debug\"\n")
        kill(daemon.pid, SIGHUP)
        try waitUntil("PUB 3 to be accepted after SIGHUP") { try threePairsAccepted(port: daemon.port) }
        // The broker applies the change before the daemon logs it: wait for the line too.
        try waitUntil("the change to be logged") { daemon.log.contains("changed: limits.max_pairs 2 -> 5") }
        try waitUntil("the restart-only change to be logged") {
            daemon.log.contains("not applied, restart needed: log.level \"info\" -> \"debug\"")
        }
    }

    @Test func sighupChangesTheLeaseMaximumForLaterHellos() throws {
        let file = try ConfigFile("[leases]\nmax_lease_seconds = 10\n")
        let daemon = try Daemon.start(["--config", file.path])
        func granted() throws -> String {
            let client = try RawClient(port: daemon.port)
            try client.send("HELLO urn:test:lease-\(UUID().uuidString) lease=100\r\n")
            guard case let .ok(_, arguments) = try client.readReply() else { throw TestFailure("HELLO refused") }
            return arguments.first { $0.hasPrefix("lease=") } ?? ""
        }
        #expect(try granted() == "lease=10")
        try file.write("[leases]\nmax_lease_seconds = 60\n")
        kill(daemon.pid, SIGHUP)
        try waitUntil("the new maximum to be granted") { try granted() == "lease=60" }
        #expect(try daemon.stop() == 0)
    }

    @Test func sighupWithABadFileKeepsTheRunningConfiguration() throws {
        let file = try ConfigFile("[limits]\nmax_pairs = 2\n")
        let daemon = try Daemon.start(["--config", file.path])
        try file.write("[limits]\nmax_pairs = 5\nmax_value = \"big\"\n")
        kill(daemon.pid, SIGHUP)
        try waitUntil("the rejection to be logged") { daemon.log.contains("running configuration kept") }
        #expect(daemon.log.contains(":3: limits.max_value: expected an integer, found a string"))
        #expect(try !threePairsAccepted(port: daemon.port))
    }
}
