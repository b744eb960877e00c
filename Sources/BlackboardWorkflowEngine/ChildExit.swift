#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended, from its `wait4` status.
public enum TerminationStatus: Equatable, Sendable, CustomStringConvertible {
    /// It called `exit` with this code (0–255). The shell reports a command it cannot find as 127.
    case exited(Int32)
    /// A signal ended it (e.g. `SIGKILL` after a timeout's grace period).
    case signaled(Int32)
    /// The status was collected by someone else before the engine could wait for it:
    /// the process set `SIGCHLD` to `SIG_IGN`, or other code reaped it with `waitpid(-1)`.
    case unknown

    /// Decodes a `wait4` status (the `WIFEXITED` / `WTERMSIG` layout: low 7 bits
    /// the signal, 0 for a normal exit, whose code is in bits 8–15).
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(signal)
        }
    }

    /// Whether it exited with code 0.
    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case let .exited(code): "exited with code \(code)"
        case let .signaled(signal): "killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        case .unknown: "exit status unknown"
        }
    }
}

/// Resource usage of a child and its reaped descendants, from `wait4`'s `rusage`.
public struct ProcessUsage: Equatable, Sendable {
    /// User CPU time, in seconds.
    public var userSeconds: Double
    /// System CPU time, in seconds.
    public var systemSeconds: Double
    /// `ru_maxrss` in bytes: the largest resident set of any *single* process among
    /// the child and the descendants it waited for — not a sum over the tree. For a
    /// posix_spawn child it is at least the engine's own RSS at the spawn: the child
    /// shares the engine's memory until it execs, and Linux records that as its
    /// high-water mark. So it is an upper bound, and ``ResourceSampler`` does not
    /// use it for the peak.
    public var maxRSSBytes: UInt64

    public init(userSeconds: Double = 0, systemSeconds: Double = 0, maxRSSBytes: UInt64 = 0) {
        self.userSeconds = userSeconds
        self.systemSeconds = systemSeconds
        self.maxRSSBytes = maxRSSBytes
    }

    init(_ usage: rusage) {
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        userSeconds = seconds(usage.ru_utime)
        systemSeconds = seconds(usage.ru_stime)
        maxRSSBytes = UInt64(max(0, usage.ru_maxrss)) * 1024  // Linux reports KiB
    }
}

/// What the engine learns when a child process has ended.
public struct ChildExit: Equatable, Sendable {
    /// How the process-group leader (the `/bin/sh`) ended.
    public var status: TerminationStatus
    /// CPU time and peak RSS of the leader and the descendants it waited for.
    public var usage: ProcessUsage
    /// From the spawn to the moment the leader was seen to have exited.
    public var duration: Duration
    /// How many processes of the group were still alive when the leader exited
    /// (background children); they were killed with `SIGKILL` (see ``ChildProcess``).
    public var leftovers: Int
    /// The group as /proc showed it after the leader exited and before it was
    /// reaped (one snapshot, or two when leftovers had to be waited for or killed),
    /// for the final resource sample: ``ResourceSampler/finish(_:)``.
    public var finalSnapshots: [ProcessGroupSnapshot]
}
