import BlackboardClient
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The `blackboard` command-line tool, run as a subprocess against the real daemon.
@Suite struct CLITests {
    @Test func pubAndSubRoundTrip() async throws {
        let daemon = try Daemon.start()
        let port = "\(daemon.port)"
        let sub = try Tool(["sub", "--port", port, "--count", "3", "--sync", "wf:A", "res.>"])
        try await waitUntil("sub to be ready") { sub.standardError.contains(#"{"ready":true,"version":1}"#) }

        let pub = try Tool(["pub", "--port", port, "wf:A=x", "noise=y", "res.cpu=87=high"]).finish()
        #expect(pub.status == 0)
        #expect(pub.standardError.contains("sent 2 pairs in 1 message; dropped 1 pair that no subscriber wants"))

        let lines = #"""
            {"res.disk":"1","noise":"2","wf:A":"z"}

            {"wf:A":{"base64":"/wA="},"res.net":12}
            """#
        let piped = try Tool(["pub", "--port", port], input: lines + "\n").finish()
        #expect(piped.status == 0)
        #expect(piped.standardError.contains("sent 4 pairs in 2 messages; dropped 1 pair"))

        let done = try sub.finish()
        #expect(done.status == 0)
        let printed = done.standardOutput.split(separator: "\n").map(String.init)
        #expect(printed.count == 3)
        let pairs = try printed.map { try pairsField(of: $0) }
        #expect(pairs == [
            #"[["wf:A","x"],["res.cpu","87=high"]]"#,
            #"[["res.disk","1"],["wf:A","z"]]"#,
            #"[["wf:A",{"base64":"/wA="}],["res.net","12"]]"#,
        ])
        #expect(printed[0].hasPrefix(#"{"seq":1,"publisher":"urn:blackboard:client:"#))
    }

    @Test func noFilterSendsWithoutRegistering() async throws {
        let daemon = try Daemon.start()
        let subscriber = try RawClient.hello(daemon.port, "urn:test:s")
        try subscriber.subscribe(["wf:A"])
        let pub = try Tool(["pub", "--port", "\(daemon.port)", "--no-filter", "--uri", "urn:test:cli", "wf:A=1", "b=2"]).finish()
        #expect(pub.status == 0 && pub.standardError.isEmpty)
        let delivery = try subscriber.nextDelivery()
        #expect(delivery.publisher == "urn:test:cli" && delivery.texts == ["wf:A=1"])
    }

    @Test func publishingWithoutSubscribersSendsNothing() async throws {
        let daemon = try Daemon.start()
        let pub = try Tool(["pub", "--port", "\(daemon.port)", "a=1", "b=2"]).finish()
        #expect(pub.status == 0)
        #expect(pub.standardError.contains("sent 0 pairs in 0 messages; dropped 2 pairs"))
    }

    @Test func profilePrintsTheAggregate() async throws {
        let daemon = try Daemon.start()
        let subscriber = try RawClient.hello(daemon.port, "urn:test:s")
        try subscriber.subscribe(["wf:A", "res.>"])
        let profile = try Tool(["profile", "--port", "\(daemon.port)"]).finish()
        #expect(profile.status == 0)
        #expect(profile.standardOutput == #"{"version":1,"entries":["res.>","wf:A"]}"# + "\n")
    }

    @Test func profileFollowPrintsChanges() async throws {
        let daemon = try Daemon.start()
        let follow = try Tool(["profile", "--port", "\(daemon.port)", "--follow"])
        try await waitUntil("the first profile") { follow.standardOutput.contains(#"{"version":0,"entries":[]}"#) }
        let subscriber = try RawClient.hello(daemon.port, "urn:test:s")
        try subscriber.subscribe(["wf:A"])
        try await waitUntil("the change") { follow.standardOutput.contains(#"{"version":1,"added":["wf:A"],"removed":[]}"#) }
        follow.interrupt()
    }

    @Test func pingPrintsOneLinePerRoundTrip() async throws {
        let daemon = try Daemon.start()
        let ping = try Tool(["ping", "--port", "\(daemon.port)", "--count", "2"]).finish()
        #expect(ping.status == 0)
        let lines = ping.standardOutput.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("PONG from 127.0.0.1:\(daemon.port): seq=") })
    }

    @Test(arguments: [["pub"], ["ping"], ["sub", "x"], ["profile"]])
    func unreachableBrokerExitsWithTwo(arguments: [String]) async throws {
        let port = try unusedPort()
        let result = try Tool(arguments + ["--port", "\(port)"], input: "").finish()
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("blackboard: cannot connect to 127.0.0.1:\(port): "))
    }

    @Test(arguments: [["pub", "novalue"], ["pub", "=x"], ["sub", "a..>"], ["sub"], ["ping", "--count", "0"], ["frobnicate"]])
    func usageErrorsExitWithOne(arguments: [String]) async throws {
        let result = try Tool(arguments).finish()
        #expect(result.status == 1)
        #expect(!result.standardError.isEmpty)
    }

    @Test func unreadableInputExitsWithOne() async throws {
        let daemon = try Daemon.start()
        let result = try Tool(["pub", "--port", "\(daemon.port)"], input: "{\"a\":\"1\"}\n{oops}\n").finish()
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("blackboard: standard input line 2: at byte 1:"))
    }

    @Test func syncTimeoutIsABrokerErrorAndExitsWithThree() async throws {
        let daemon = try Daemon.start()
        let laggard = try RawClient.hello(daemon.port, "urn:test:laggard")
        try laggard.send("REG\r\n")
        _ = try laggard.readReply(until: { if case .profile = $0 { true } else { false } })
        let result = try Tool(["sub", "--port", "\(daemon.port)", "--sync", "--sync-timeout", "0.1", "x"]).finish()
        #expect(result.status == 3)
        #expect(result.standardError.contains("127.0.0.1:\(daemon.port)") && result.standardError.contains("SYNC"))
    }

    @Test func lostConnectionExitsWithTwo() async throws {
        let daemon = try Daemon.start()
        let sub = try Tool(["sub", "--port", "\(daemon.port)", "--sync", "x"])
        try await waitUntil("sub to be ready") { sub.standardError.contains(#"{"ready""#) }
        daemon.kill()
        let result = try sub.finish()
        #expect(result.status == 2)
        #expect(result.standardError.contains("blackboard: connection to 127.0.0.1:\(daemon.port) lost"))
    }

    /// The `pairs` array of a printed delivery, as text.
    private func pairsField(of line: String) throws -> String {
        guard let start = line.range(of: #""pairs":"#), line.hasSuffix("}") else {
            throw TestFailure("not a delivery line: \(line)")
        }
        return String(line[start.upperBound..<line.index(before: line.endIndex)])
    }
}

/// The `blackboard` binary running as a subprocess, its output collected as it comes.
final class Tool: @unchecked Sendable {
    // @unchecked Sendable: `process` is configured before run and only queried after.
    private let process = Process()
    // Output goes to files, not pipes: a child spawned concurrently by another test
    // can inherit a pipe's write end and hold it open, so end-of-file on a pipe
    // does not mean this process is done. A file is complete once the process exits.
    private let directory: URL
    private var outputURL: URL { directory.appendingPathComponent("stdout") }
    private var errorURL: URL { directory.appendingPathComponent("stderr") }

    /// The result of a finished run.
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Starts `blackboard arguments…`, with `input` on standard input (none: an open, empty pipe).
    init(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stderr").path, contents: nil)
        process.executableURL = productsDirectory().appendingPathComponent("blackboard")
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let stdin = Pipe()
        process.standardOutput = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr"))
        process.standardInput = stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    var standardOutput: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

    /// Waits for the exit (at most `timeout` seconds) and collects the output.
    func finish(timeout: Double = 20) throws -> Result {
        try waitUntil(timeout: timeout, "blackboard \(process.arguments ?? []) to exit") { !process.isRunning }
        return Result(status: process.terminationStatus, standardOutput: standardOutput, standardError: standardError)
    }

    /// Sends `signal` (without waiting for the exit; see ``finish(timeout:)``).
    func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Sends SIGINT and waits for the exit.
    func interrupt() {
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            waitForExit(process)
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            waitForExit(process)
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
