import BlackboardClient
import BlackboardTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Failures of the test support itself.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` seconds (scaled by `testTimeScale`)
/// pass. Tests wait on conditions like this, never on fixed sleeps.
func waitUntil(timeout: Double = 10, _ what: String, _ condition: () throws -> Bool) throws {
    let timeout = scaledTimeout(timeout)
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return }
        if Date() > deadline { throw TestFailure("timed out after \(timeout) s waiting for \(what)") }
        usleep(2_000)
    }
}

/// The same poll for async tests: it sleeps with `Task.sleep`, so the wait gives its
/// thread back to the cooperative pool. A blocking wait there can starve the very task
/// it waits for (the pool has a thread per core: two here), until its timeout.
func waitUntil(timeout: Double = 10, _ what: String, _ condition: () throws -> Bool) async throws {
    let timeout = scaledTimeout(timeout)
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return }
        if Date() > deadline { throw TestFailure("timed out after \(timeout) s waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// Waits for `process` to exit by polling, never by `Process.waitUntilExit()`,
/// which spins a run loop that has crashed the test process in teardown when
/// several tests end daemons at once. A process still running after `timeout`
/// seconds is killed with SIGKILL and waited for.
func waitForExit(_ process: Process, timeout: Double = 30) {
    if (try? waitUntil(timeout: timeout, "process \(process.processIdentifier) to exit", { !process.isRunning })) == nil {
        Glibc.kill(process.processIdentifier, SIGKILL)
        while process.isRunning { usleep(2_000) }
    }
}

/// The directory holding the built products (the test binary sits beside them).
func productsDirectory() -> URL {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = exe.deletingLastPathComponent()
    // An .xctest bundle directory on some layouts: step out of it.
    while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents" {
        directory = directory.deletingLastPathComponent()
    }
    return directory
}

/// Text appended from one thread and read from another (under the client library's
/// pthread lock, which ThreadSanitizer sees, unlike `Mutex`).
final class SharedText: Sendable {
    private let text = Locked<String>("")
    func append(_ more: String) { text.withLock { $0 += more } }
    var value: String { text.withLock { $0 } }
}

extension SharedText {
    /// A pipe whose output is appended here as it arrives, for a child's stdout or stderr.
    /// (Only for waiting on content: a pipe's end of file can be held back by other
    /// children that inherited its write end.)
    ///
    /// A thread of its own reads the pipe with blocking `read`s until end of file. Not
    /// `FileHandle.readabilityHandler`: its dispatch read source, cancelled from inside
    /// the handler while the handle closes the descriptor, crashed the test process in
    /// libdispatch's event loop (a freed source still registered with epoll) when
    /// several daemons ended at once.
    func pipe() -> Pipe {
        let pipe = Pipe()
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            // `handle` is kept alive by this closure, so its descriptor stays open until EOF.
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                append(String(decoding: buffer[..<count], as: UTF8.self))
            }
        }
        thread.start()
        return pipe
    }
}

/// The real `blackboardd` binary, started on 127.0.0.1 with port 0 unless told otherwise.
final class Daemon: @unchecked Sendable {
    // @unchecked Sendable: `process` is configured once in init and only queried after.
    let process = Process()
    let port: UInt16
    /// The admin port it bound (the support passes `--admin-port 0` unless told otherwise).
    let adminPort: UInt16
    private let output = SharedText()
    /// The data directory made for this daemon, if the test gave none.
    private var ownedDataDirectory: String?

    var pid: Int32 { process.processIdentifier }
    /// Everything the daemon wrote to stderr so far.
    var log: String { output.value }

    /// Starts the daemon and waits for it to log the address it bound. It inherits the
    /// test's environment, less `NOTIFY_SOCKET` (a test run under systemd must not
    /// report for its daemons), plus `environment`.
    static func start(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> Daemon {
        try Daemon(arguments: arguments, environment: environment)
    }

    private init(arguments: [String], environment: [String: String]) throws {
        let binary = productsDirectory().appendingPathComponent("blackboardd")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestFailure("blackboardd not built at \(binary.path)")
        }
        process.executableURL = binary
        var args = arguments
        if !args.contains("--port") { args += ["--port", "0"] }
        if !args.contains("--host") { args += ["--host", "127.0.0.1"] }
        // Never the default 7071: tests run in parallel, each daemon on free ports.
        if !args.contains("--admin-port") { args += ["--admin-port", "0"] }
        // Each daemon its own data directory (removed with it), unless the test brings one.
        if !args.contains("--data-dir") {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("blackboard-test-\(UUID().uuidString)").path
            ownedDataDirectory = directory
            args += ["--data-dir", directory]
        }
        process.arguments = args
        var inherited = ProcessInfo.processInfo.environment
        inherited["NOTIFY_SOCKET"] = nil
        process.environment = inherited.merging(environment) { $1 }
        process.standardError = output.pipe()
        process.standardOutput = FileHandle.nullDevice
        let sink = output
        let process = self.process
        try process.run()
        var found: UInt16?
        var foundAdmin: UInt16?
        try waitUntil(timeout: 20, "blackboardd to log its addresses") {
            for match in sink.value.matches(of: /(admin )?listening on \S+:(\d+)/) {
                if match.1 == nil { found = UInt16(match.2) } else { foundAdmin = UInt16(match.2) }
            }
            if !process.isRunning { throw TestFailure("blackboardd exited: \(sink.value)") }
            return found != nil && foundAdmin != nil
        }
        port = found!
        adminPort = foundAdmin!
        // The daemon installs its signal handlers just after it logs its addresses: wait
        // for them, so a test's SIGHUP or SIGTERM never meets the default action.
        let pid = process.processIdentifier
        try waitUntil(timeout: 20, "blackboardd to catch SIGHUP, SIGINT and SIGTERM") {
            if !process.isRunning { throw TestFailure("blackboardd exited: \(sink.value)") }
            return Daemon.caughtSignals(pid).map { $0 & Daemon.shutdownSignals == Daemon.shutdownSignals } ?? false
        }
    }

    /// SIGHUP, SIGINT and SIGTERM as a signal mask (bit n-1 for signal n).
    static let shutdownSignals: UInt64 = 1 << (UInt64(SIGHUP) - 1) | 1 << (UInt64(SIGINT) - 1) | 1 << (UInt64(SIGTERM) - 1)

    /// The signals process `pid` has handlers for (`SigCgt` in /proc/PID/status).
    static func caughtSignals(_ pid: Int32) -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") })
        else { return nil }
        return UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL); waitForExit(process) }
        if let ownedDataDirectory { try? FileManager.default.removeItem(atPath: ownedDataDirectory) }
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func stop(timeout: Double = 15) throws -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        Glibc.kill(process.processIdentifier, SIGTERM)
        try waitUntil(timeout: timeout, "blackboardd to exit after SIGTERM") { !process.isRunning }
        return process.terminationStatus
    }

    /// Kills the daemon with SIGKILL.
    func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            waitForExit(process)
        }
    }

    /// Resident set size in KiB, from /proc.
    func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    }
}
