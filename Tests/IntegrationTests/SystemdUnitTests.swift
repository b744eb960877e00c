import Foundation
import Testing

/// systemd/blackboardd.service: `systemd-analyze verify` accepts it (where systemd is
/// installed), and its descriptor limit fits the connection limit.
///
/// `verify` needs no running systemd, but fails when ExecStart's binary is missing, so
/// the unit is checked as a copy whose ExecStart names the binary just built. It exits
/// 0 even for unknown keys and unparsable values, which it only prints: any output at
/// all counts as a failure.
@Suite struct SystemdUnitTests {
    static let analyzer = "/usr/bin/systemd-analyze"
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The unit as shipped.
    static func shippedUnit() throws -> String {
        try String(contentsOf: root.appendingPathComponent("systemd/blackboardd.service"), encoding: .utf8)
    }

    /// Runs `systemd-analyze verify` on `unit` saved as blackboardd.service in a fresh
    /// directory, with ExecStart pointed at the built daemon; its exit status and output.
    static func verify(_ unit: String) throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-unit-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = productsDirectory().appendingPathComponent("blackboardd").path
        let rewritten = unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/blackboardd ", with: "ExecStart=\(binary) ")
        let unitFile = directory.appendingPathComponent("blackboardd.service")
        try rewritten.write(to: unitFile, atomically: true, encoding: .utf8)

        // Output to a file, read once the process is gone: no pipe to drain or wait on.
        let outputFile = directory.appendingPathComponent("output")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw TestFailure("cannot create \(outputFile.path)")
        }
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyzer)
        process.arguments = ["verify", "--man=no", unitFile.path]
        process.environment = ["SYSTEMD_LOG_COLOR": "0", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        waitForExit(process, timeout: 60)
        return (process.terminationStatus, try String(contentsOf: outputFile, encoding: .utf8))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyzer), "\(analyzer) is not installed"))
    func theUnitPassesSystemdAnalyzeVerify() throws {
        let unit = try Self.shippedUnit()
        #expect(unit.contains("ExecStart=/usr/local/bin/blackboardd "), "the rewrite below would miss ExecStart")
        let result = try Self.verify(unit)
        #expect(result.status == 0 && result.output.isEmpty, "systemd-analyze verify: status \(result.status)\n\(result.output)")
    }

    /// The check above can fail: a misspelt key and a bad value are both reported.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyzer), "\(analyzer) is not installed"),
          arguments: [("ProtectSystem=strict", "ProtectSystem=strictly"), ("NoNewPrivileges=yes", "NoNewPrivilege=yes")])
    func aBrokenUnitIsCaught(_ good: String, _ bad: String) throws {
        let unit = try Self.shippedUnit()
        #expect(unit.contains(good))
        let result = try Self.verify(unit.replacingOccurrences(of: good, with: bad))
        #expect(result.status != 0 || result.output.contains("blackboardd.service"), "no complaint: \(result.output)")
    }

    @Test func limitNOFILEExceedsTheConnectionLimit() throws {
        let unit = try Self.shippedUnit()
        let config = try String(contentsOf: Self.root.appendingPathComponent("config/blackboard.conf"), encoding: .utf8)
        let limit = try #require(unit.firstMatch(of: /\nLimitNOFILE=(\d+)\n/).flatMap { Int($0.1) })
        let connections = try #require(config.firstMatch(of: /\nmax_connections = ([\d_]+)\n/)
            .flatMap { Int($0.1.replacingOccurrences(of: "_", with: "")) })
        #expect(limit >= connections + 1024, "LimitNOFILE=\(limit) for limits.max_connections = \(connections)")
    }
}
