// A child process running `/bin/sh -c COMMAND` in a process group of its own.
//
// Lifecycle (`Phase`): running → leaderExited → reaping → exited.
//
// - The reaper thread (one per child, see ChildProcess+Reaper.swift) first waits
//   for the leader to exit *without reaping it* (`waitid(WNOWAIT)`): a zombie
//   leader keeps its pid, and so the group id, from being reused, which makes
//   every `killpg` sent before the reap safe.
// - Signals go to the whole group, and only under the lock while the phase is
//   `running` or `leaderExited`; `reaping` and `exited` send nothing.
//
// Leftover policy: when the leader exits, every process of its group still alive
// (background children, `cmd &` without `wait`) is killed with SIGKILL, at once —
// or, if a `terminate(grace:)` is in progress, once its grace runs out. An activity
// is only reported finished when nothing of its group is running, so no activity
// leaks processes. A process that leaves the group (`setsid`, `setpgid`) escapes
// this; only a cgroup per activity would catch it.

import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// A running (or finished) child process: `/bin/sh -c COMMAND`, the leader of its
/// own process group, with its output appended to a log file. See
/// ``spawn(_:onExit:)``.
///
/// Thread-safe: every method may be called from any thread.
public final class ChildProcess: Sendable {
    /// What to run, and how.
    public struct Configuration: Equatable, Sendable {
        /// The shell command, run as `/bin/sh -c command`.
        public var command: String
        /// The child's whole environment (nothing is inherited from the engine).
        public var environment: [String: String]
        /// The child's working directory; nil for the engine's own.
        public var workingDirectory: String?
        /// The file that receives the child's stdout and stderr, both appended
        /// (`O_APPEND`) to the one file, interleaved as the child writes them.
        /// Created with mode 0644 if missing; its directory must exist.
        public var logPath: String

        public init(command: String, environment: [String: String] = [:], workingDirectory: String? = nil,
                    logPath: String) {
            self.command = command
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.logPath = logPath
        }
    }

    enum Phase {
        /// The leader has not exited.
        case running
        /// The leader is a zombie; the reaper deals with leftovers before reaping it.
        case leaderExited
        /// The leader is being (or has been) reaped: no more signals.
        case reaping
        /// Done.
        case exited(ChildExit)
    }

    struct State {
        var phase = Phase.running
        /// When SIGKILL follows SIGTERM, once `terminate(grace:)` was called (the earliest asked for).
        var killDeadline: ContinuousClock.Instant?
        /// `waitForExit()` callers still waiting.
        var waiters: [CheckedContinuation<ChildExit, Never>] = []

        var canSignal: Bool {
            switch phase {
            case .running, .leaderExited: true
            case .reaping, .exited: false
            }
        }
    }

    /// The process id of the shell, which is also the process group id.
    public let pid: pid_t
    /// When it was spawned.
    public let startedAt: ContinuousClock.Instant
    let state = ConditionLock(State())
    let onExit: (@Sendable (ChildExit) -> Void)?

    init(pid: pid_t, startedAt: ContinuousClock.Instant, onExit: (@Sendable (ChildExit) -> Void)?) {
        self.pid = pid
        self.startedAt = startedAt
        self.onExit = onExit
    }

    /// The process group id: the same number as ``pid``.
    public var processGroup: pid_t { pid }

    /// How it ended; nil until the exit is delivered (while it runs, while leftovers
    /// are dealt with, and while `onExit` runs).
    public var exit: ChildExit? {
        state.withLock { state in
            if case let .exited(exit) = state.phase { return exit }
            return nil
        }
    }

    /// Blocks until the child has exited, or `timeout` passes (then nil).
    public func waitForExit(timeout: Duration) -> ChildExit? {
        state.wait(until: .now + timeout) { state in
            if case let .exited(exit) = state.phase { return exit }
            return nil
        }
    }

    /// Suspends until the child has exited. Cancelling the awaiting task does not
    /// stop the child: call ``terminate(grace:)`` for that.
    public func waitForExit() async -> ChildExit {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> ChildExit? in
                if case let .exited(exit) = state.phase { return exit }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Stops the whole process group: SIGTERM (and SIGCONT, so stopped processes
    /// see it) now, then SIGKILL to the group if anything in it is still alive
    /// after `grace`; a grace of zero sends SIGKILL alone. Returns at once; the exit
    /// arrives as usual. A second call can shorten the grace, never lengthen it.
    /// Does nothing once the leader is being reaped.
    public func terminate(grace: Duration) {
        let deadline = ContinuousClock.now + grace
        let scheduled = state.update { state -> Bool in
            guard state.canSignal else { return false }
            if state.killDeadline.map({ deadline < $0 }) ?? true { state.killDeadline = deadline }
            if grace <= .zero {
                signalGroup(SIGKILL)
                return false
            }
            signalGroup(SIGTERM)
            signalGroup(SIGCONT)
            return true
        }
        guard scheduled else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(grace.clampedNanoseconds)) { [self] in
            killIfUnreaped()
        }
    }

    /// SIGKILL to the group, unless the leader is already being reaped.
    func killIfUnreaped() {
        state.withLock { state in
            if state.canSignal { signalGroup(SIGKILL) }
        }
    }

    /// Sends `signal` to the group. Call only under the lock, with `canSignal` true.
    func signalGroup(_ signal: Int32) {
        // ESRCH (nobody left) is the only expected failure, and harmless.
        _ = killpg(pid, signal)
    }
}
