import BlackboardTestSupport
import Foundation
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the test support itself.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every millisecond until it holds or `timeout` (scaled by
/// `testTimeScale`) passes. Tests
/// wait on conditions like this, never on fixed sleeps.
func waitUntil(timeout: Duration = .seconds(10), _ what: String, _ condition: () throws -> Bool) throws {
    let timeout = timeout * testTimeScale
    let deadline = ContinuousClock.now + timeout
    while true {
        if try condition() { return }
        if ContinuousClock.now > deadline { throw TestFailure("timed out after \(timeout) waiting for \(what)") }
        usleep(1_000)
    }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("\(NSTemporaryDirectory())/bb-engine-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp: \(errno)") }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? ""
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A small environment for children: enough for `/bin/sh` and coreutils.
let basicEnvironment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"]

/// Spawns `command` with its log in `directory` and waits (up to `timeout`) for it to exit.
func run(_ command: String, in directory: TemporaryDirectory, environment: [String: String] = basicEnvironment,
         timeout: Duration = .seconds(20)) throws -> ChildExit {
    let child = try ChildProcess.spawn(
        .init(command: command, environment: environment, logPath: directory.file("log")))
    guard let exit = child.waitForExit(timeout: timeout) else {
        child.terminate(grace: .zero)
        throw TestFailure("\(command) still running after \(timeout)")
    }
    return exit
}
