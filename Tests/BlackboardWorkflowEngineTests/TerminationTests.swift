import Foundation
import Testing
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

@Suite struct TerminationTests {
    /// Spawns `command` and waits until its group has at least `processes` running
    /// processes. (dash execs the last command of `-c` in place of itself, so
    /// `sh -c 'sleep 30'` is one process.)
    func start(_ command: String, processes: Int, in directory: TemporaryDirectory) throws -> ChildProcess {
        let child = try ChildProcess.spawn(.init(command: command, environment: basicEnvironment,
                                                 logPath: directory.file("log")))
        try waitUntil("\(processes) processes in group \(child.processGroup)") {
            ProcessTable.liveProcesses(inGroup: child.processGroup).count >= processes
        }
        return child
    }

    @Test func timeoutKillsTheChild() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try start("sleep 30", processes: 1, in: directory)
        let started = ContinuousClock.now
        child.terminate(grace: .seconds(10))
        let exit = try #require(child.waitForExit(timeout: .seconds(10)))
        #expect(exit.status == .signaled(SIGTERM))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(ProcessTable.liveProcesses(inGroup: child.processGroup).isEmpty)
    }

    @Test func timeoutKillsGrandchildren() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try start("sleep 30 & sleep 30; wait", processes: 3, in: directory)
        child.terminate(grace: .seconds(10))
        let exit = try #require(child.waitForExit(timeout: .seconds(10)))
        #expect(exit.status == .signaled(SIGTERM))
        // Exit is reported only once nothing of the group runs.
        #expect(ProcessTable.liveProcesses(inGroup: child.processGroup).isEmpty)
    }

    @Test func ignoredSIGTERMIsFollowedBySIGKILLAfterTheGrace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // sh and the sleep it starts both ignore SIGTERM (ignored signals survive exec).
        let child = try start("trap '' TERM; sleep 30; echo survived", processes: 2, in: directory)
        let grace = Duration.milliseconds(300)
        let started = ContinuousClock.now
        child.terminate(grace: grace)
        let exit = try #require(child.waitForExit(timeout: .seconds(10)))
        #expect(exit.status == .signaled(SIGKILL))
        #expect(ContinuousClock.now - started >= grace)
        #expect(ProcessTable.liveProcesses(inGroup: child.processGroup).isEmpty)
        #expect(!directory.read("log").contains("survived"))
    }

    @Test func aSecondTerminateCanShortenTheGrace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try start("trap '' TERM; sleep 30; true", processes: 2, in: directory)
        child.terminate(grace: .seconds(60))
        child.terminate(grace: .zero)
        #expect(child.waitForExit(timeout: .seconds(10))?.status == .signaled(SIGKILL))
    }

    @Test func cancellationOfAnAwaitedChild() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try start("sleep 30 & sleep 30; wait", processes: 3, in: directory)
        let waiter = Task { await child.waitForExit() }
        child.terminate(grace: .seconds(5))
        let exit = await waiter.value
        #expect(exit.status == .signaled(SIGTERM))
        #expect(ProcessTable.liveProcesses(inGroup: child.processGroup).isEmpty)
        // Terminating an exited child does nothing.
        child.terminate(grace: .zero)
        #expect(child.exit == exit)
    }

    /// The leftover policy: background children still running when the leader exits are SIGKILLed.
    @Test func leftoversAreKilledWhenTheLeaderExits() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try ChildProcess.spawn(.init(command: "sleep 30 & sleep 30 & exit 4", environment: basicEnvironment,
                                                 logPath: directory.file("log")))
        let exit = try #require(child.waitForExit(timeout: .seconds(10)))
        #expect(exit.status == .exited(4))
        #expect(exit.leftovers == 2)
        #expect(exit.finalSnapshots.count == 2)
        #expect(ProcessTable.liveProcesses(inGroup: child.processGroup).isEmpty)
    }

    /// During a terminate, leftovers that handle SIGTERM get the grace to finish.
    @Test func leftoversGetTheGraceDuringATerminate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The background subshell catches TERM and exits 0 after writing; the leader dies on TERM.
        // Three processes (sh, the subshell, a sleep) means the subshell's trap is set. Each
        // sleep lasts long enough to be seen by a slow scan of /proc (a sanitized build);
        // the group's SIGTERM ends it at once, so the trap is not held up by it.
        let child = try start(
            "(trap 'echo cleaned; exit 0' TERM; while :; do sleep 1; done) & wait", processes: 3, in: directory)
        child.terminate(grace: .seconds(10))
        let exit = try #require(child.waitForExit(timeout: .seconds(10)))
        #expect(ProcessTable.liveProcesses(inGroup: child.processGroup).isEmpty)
        #expect(directory.read("log").contains("cleaned"))
        #expect(exit.status == .signaled(SIGTERM))
    }
}
