// The reaper: one thread per child, blocked in `waitid` for that child alone.
//
// Why a thread per child rather than one reaper: a single `wait4(-1)` loop (or a
// SIGCHLD handler) would also collect the children of other code in the process
// (Foundation's `Process`, tests) and steal their statuses, and a pidfd + epoll
// loop would be more machinery than an engine running a handful of activities at
// once needs. The cost is one mostly idle thread per *running* activity, bounded
// by the engine's parallelism limit.
//
// The sequence, after the leader exits:
//   1. `waitid(P_PID, WEXITED | WNOWAIT)`: the leader is a zombie, not yet reaped,
//      so its pid (= the group id) cannot be reused and `killpg` stays safe.
//   2. Snapshot the group from /proc (for the final resource sample).
//   3. Leftovers (live members besides the zombie leader): if a terminate is in
//      progress, wait until they are gone or its grace runs out; then SIGKILL the
//      group and wait (up to `leftoverKillTimeout`) until none is running; then a
//      second snapshot.
//   4. `wait4(pid)`: reap the leader and collect its status and rusage.
//   5. Deliver the exit: `onExit` first, then the state (waking blocking waiters),
//      then the async waiters. So whatever `onExit` does (stop the sampler, publish)
//      happens before any waiter sees the exit.

#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// How long the reaper waits for SIGKILLed leftovers to die before reporting the exit anyway
    /// (a process stuck in uninterruptible sleep, `D`, dies only when its I/O completes).
    static let leftoverKillTimeout: Duration = .seconds(2)
    /// How often the reaper rescans /proc while it waits for leftovers.
    static let leftoverPollInterval: Duration = .milliseconds(5)

    /// The reaper thread's body.
    func reap() {
        let leaderWaited = waitForLeaderExit()
        let endedAt = ContinuousClock.now
        var snapshots: [ProcessGroupSnapshot] = []
        var leftovers = 0
        if leaderWaited {
            state.update { $0.phase = .leaderExited }
            snapshots.append(ProcessTable.snapshot(group: pid))
            leftovers = snapshots[0].live.count
            if leftovers > 0 {
                endLeftovers()
                snapshots.append(ProcessTable.snapshot(group: pid))
            }
        }
        state.update { $0.phase = .reaping }
        var status: Int32 = 0
        var usage = rusage()
        var result: pid_t
        repeat { result = wait4(pid, &status, 0, &usage) } while result < 0 && errno == EINTR
        let exit = ChildExit(
            status: result == pid ? TerminationStatus(waitStatus: status) : .unknown,
            usage: result == pid ? ProcessUsage(usage) : ProcessUsage(),
            duration: endedAt - startedAt, leftovers: leftovers, finalSnapshots: snapshots)
        onExit?(exit)
        let waiters = state.update { state in
            state.phase = .exited(exit)
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    /// Blocks until the leader has exited, leaving it a zombie. False if it cannot be
    /// waited for (ECHILD: someone else reaped it, so its pid must not be signalled).
    private func waitForLeaderExit() -> Bool {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    /// Step 3 above: lets a terminate in progress run out its grace, then kills what remains.
    private func endLeftovers() {
        while let deadline = state.withLock({ $0.killDeadline }), ContinuousClock.now < deadline {
            if ProcessTable.liveProcesses(inGroup: pid).isEmpty { return }
            pause(min(Self.leftoverPollInterval, deadline - .now))
        }
        killIfUnreaped()
        let giveUp = ContinuousClock.now + Self.leftoverKillTimeout
        while !ProcessTable.liveProcesses(inGroup: pid).isEmpty, ContinuousClock.now < giveUp {
            pause(Self.leftoverPollInterval)
        }
    }

    /// Waits for `duration`, or less if the state changes (a `terminate` shortening the grace).
    private func pause(_ duration: Duration) {
        var woken = false
        _ = state.wait(until: .now + duration) { _ -> Bool? in
            defer { woken = true }
            return woken ? true : nil
        }
    }
}
