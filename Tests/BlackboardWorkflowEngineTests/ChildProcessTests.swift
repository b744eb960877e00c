import Foundation
import Testing
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ChildProcessTests {
    @Test(arguments: [("true", 0), ("exit 3", 3), ("no-such-command-here", 127), ("exit 255", 255)] as [(String, Int32)])
    func exitCode(command: String, code: Int32) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exit = try run(command, in: directory)
        #expect(exit.status == .exited(code))
        #expect(exit.leftovers == 0)
    }

    @Test func signaled() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try run("kill -USR1 $$", in: directory).status == .signaled(SIGUSR1))
    }

    @Test func stdoutAndStderrAreAppendedToTheLog() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "earlier\n".write(toFile: directory.file("log"), atomically: false, encoding: .utf8)
        _ = try run("echo to-stdout; echo to-stderr >&2; echo again", in: directory)
        #expect(directory.read("log") == "earlier\nto-stdout\nto-stderr\nagain\n")
    }

    @Test func environmentAndWorkingDirectoryAreApplied() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("work"), withIntermediateDirectories: false)
        let child = try ChildProcess.spawn(.init(
            command: "pwd; echo \"$GREETING\"; env | sort", environment: ["GREETING": "hello world", "PATH": "/usr/bin:/bin"],
            workingDirectory: directory.file("work"), logPath: directory.file("log")))
        #expect(child.waitForExit(timeout: .seconds(10))?.status == .exited(0))
        let lines = directory.read("log").split(separator: "\n").map(String.init)
        let realWork = URL(fileURLWithPath: directory.file("work")).resolvingSymlinksInPath().path
        #expect(lines.first == realWork)
        #expect(lines.dropFirst().first == "hello world")
        // Exactly the given environment, plus what sh itself sets (PWD).
        #expect(Set(lines.dropFirst(2)).subtracting(["PWD=\(realWork)"]) == ["GREETING=hello world", "PATH=/usr/bin:/bin"])
    }

    @Test func stdinIsDevNull() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try run("wc -c; readlink /proc/$$/fd/0", in: directory)
        #expect(directory.read("log") == "0\n/dev/null\n")
    }

    @Test func badWorkingDirectoryFailsTheSpawn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.file("missing")
        #expect(throws: EngineSystemError.workingDirectory(path: missing, errno: ENOENT)) {
            try ChildProcess.spawn(.init(command: "true", workingDirectory: missing, logPath: directory.file("log")))
        }
        try "x".write(toFile: directory.file("plain"), atomically: false, encoding: .utf8)
        #expect(throws: EngineSystemError.workingDirectory(path: directory.file("plain"), errno: ENOTDIR)) {
            try ChildProcess.spawn(.init(command: "true", workingDirectory: directory.file("plain"),
                                         logPath: directory.file("log")))
        }
    }

    @Test func badLogPathAndEnvironmentFailTheSpawn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = directory.file("missing/log")
        #expect(throws: EngineSystemError.logFile(path: log, errno: ENOENT)) {
            try ChildProcess.spawn(.init(command: "true", logPath: log))
        }
        #expect(throws: EngineSystemError.invalidEnvironment(name: "A=B")) {
            try ChildProcess.spawn(.init(command: "true", environment: ["A=B": "c"], logPath: directory.file("log")))
        }
        #expect(throws: EngineSystemError.invalidEnvironment(name: "")) {
            try ChildProcess.spawn(.init(command: "true", environment: ["": "c"], logPath: directory.file("log")))
        }
    }

    /// Spawns `command` the way the engine runs: SIGPIPE ignored, and (on this
    /// thread) SIGTERM and SIGUSR2 blocked, and a descriptor open without O_CLOEXEC.
    func spawnFromAHostileParent(_ command: String, in directory: TemporaryDirectory) throws -> ChildProcess {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR2)
        sigaddset(&blocked, SIGTERM)
        var old = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        return try ChildProcess.spawn(.init(command: command, environment: basicEnvironment, logPath: directory.file("log")))
    }

    /// The child's own signal state, read while it loops in the shell (no fork, so
    /// nothing of dash's own blocking around forks shows).
    @Test func childStartsWithDefaultSignalsAndAnEmptyMask() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try spawnFromAHostileParent("while :; do :; done", in: directory)
        defer { child.terminate(grace: .zero) }
        let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
        func mask(_ name: String) -> UInt64? {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { UInt64($0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16) }
        }
        #expect(mask("SigBlk") == 0)
        // Signals 1–31 at their defaults. glibc's posix_spawn leaves its two internal
        // real-time signals (32 and 33) ignored in every child; sigfillset cannot name them.
        #expect(mask("SigIgn").map { $0 & 0x7fff_ffff } == 0)
    }

    @Test func childGetsOnlyStandardDescriptorsAndDefaultSIGPIPE() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // With SIGPIPE ignored, `yes` would fail with "Broken pipe" once `head` exits.
        let child = try spawnFromAHostileParent("ls /proc/$$/fd; yes | head -1", in: directory)
        #expect(child.waitForExit(timeout: .seconds(10))?.status == .exited(0))
        #expect(directory.read("log") == "0\n1\n2\ny\n")
    }

    @Test func exitIsDeliveredByCallbackAndAsync() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let delivered = ConditionLock<ChildExit?>(nil)
        let child = try ChildProcess.spawn(
            .init(command: "sleep 0.2; exit 7", environment: basicEnvironment, logPath: directory.file("log")),
            onExit: { exit in delivered.update { $0 = exit } })
        let exit = await child.waitForExit()
        #expect(exit.status == .exited(7))
        #expect(child.exit == exit)
        // onExit runs before any waiter sees the exit.
        #expect(delivered.withLock { $0 } == exit)
        #expect(await child.waitForExit() == exit)
    }

    @Test func blockingWaitTimesOut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try ChildProcess.spawn(.init(command: "sleep 30", environment: basicEnvironment,
                                                 logPath: directory.file("log")))
        #expect(child.waitForExit(timeout: .milliseconds(20)) == nil)
        #expect(child.exit == nil)
        child.terminate(grace: .zero)
        #expect(child.waitForExit(timeout: .seconds(10))?.status == .signaled(SIGKILL))
    }

    @Test func usageCoversReapedDescendants() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The work happens in a subshell the leader waits for.
        let exit = try run("(i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done)", in: directory)
        #expect(exit.status == .exited(0))
        #expect(exit.usage.userSeconds + exit.usage.systemSeconds > 0)
        #expect(exit.usage.maxRSSBytes > 0)
        #expect(exit.duration > .zero)
    }
}
