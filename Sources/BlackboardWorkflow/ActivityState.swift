/// Where one activity of an instance stands: the planner's input, and part of the
/// persisted ``InstanceState``.
///
/// Life of an activity (the engine calls the mutating methods; the planner decides when):
///
///     pending --enqueue--> pending (queued) --begin--> running --finish--> succeeded
///        |                                                 |-----finish--> failed --(retry due)--> begin ...
///        |--skip--> skipped                                 `----finish--> canceled
///        `--cancel--> canceled
///
/// A `failed` activity with attempts left is not final: the planner starts it again once
/// its retry delay has passed (unless the instance is canceling).
public struct ActivityState: Sendable, Equatable, Codable {
    /// The status of the activity. `failed` is final only when the retry policy allows no
    /// further attempt.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, running, succeeded, failed, canceled, skipped
    }

    /// How an attempt ended, as the engine observed it.
    public enum AttemptResult: Sendable, Equatable {
        /// The process exited with this status: 0 succeeds, anything else fails.
        case exited(Int32)
        /// The process was ended by this signal (not one the engine sent).
        case signaled(Int32)
        /// The engine ended the process for running past `afterMs`, with `signal` (nil if
        /// it was not reaped with a signal status).
        case timedOut(afterMs: Int64, signal: Int32?)
        /// The attempt failed without a process result (spawn failed, an input was missing,
        /// an output was not produced...).
        case error(String)
        /// A `sleep` or `emit` activity completed.
        case completed
        /// The engine stopped the attempt because the instance is canceling.
        case canceled(signal: Int32?)
    }

    /// The activity's name (the states of an instance are in the workflow's file order).
    public var name: String
    /// The status.
    public var status: Status
    /// Attempts started so far.
    public var attempts: Int
    /// The last attempt's exit status, when its process exited.
    public var exitCode: Int32?
    /// The signal that ended the last attempt's process, if one did.
    public var signal: Int32?
    /// Why the last attempt failed, in words (`exited with code 1`, `timed out after 30s`).
    public var error: String?
    /// When the activity became ready to start (Unix ms); nil while not queued.
    public var queuedSinceMs: Int64?
    /// How long the last attempt waited between ready and started, in ms.
    public var queuedMs: Int64?
    /// When the last attempt started (Unix ms).
    public var startedMs: Int64?
    /// When the activity last finished, was skipped or was canceled (Unix ms).
    public var finishedMs: Int64?
    /// The log file of the last attempt.
    public var logPath: String?
    /// The process group of the running attempt (its leader's pid), so that a resume
    /// after the engine died can stop what it left running; nil when no process runs.
    public var processGroup: Int32?

    enum CodingKeys: String, CodingKey {
        case name, status, attempts, error, signal
        case exitCode = "exit_code"
        case queuedSinceMs = "queued_since_ms"
        case queuedMs = "queued_ms"
        case startedMs = "started_ms"
        case finishedMs = "finished_ms"
        case logPath = "log_path"
        case processGroup = "process_group"
    }

    /// A pending activity that has not been tried.
    public init(name: String) {
        self.name = name
        self.status = .pending
        self.attempts = 0
    }

    /// True when the status is `succeeded`, `skipped` or `canceled`, or `failed` with no
    /// attempt left under `retry`.
    public func isFinal(retry: RetryPolicy) -> Bool {
        switch status {
        case .succeeded, .skipped, .canceled: return true
        case .failed: return attempts >= retry.maxAttempts
        case .pending, .running: return false
        }
    }

    /// How long the last attempt ran, in ms (nil until it finished).
    public var durationMs: Int64? {
        guard let startedMs, let finishedMs, status != .skipped else { return nil }
        return max(0, finishedMs - startedMs)
    }

    /// Records that the activity is ready to start (keeps an earlier time).
    public mutating func enqueue(now: Int64) {
        if queuedSinceMs == nil { queuedSinceMs = now }
    }

    /// Records the start of an attempt.
    public mutating func begin(now: Int64, logPath: String?) {
        status = .running
        attempts += 1
        queuedMs = max(0, now - (queuedSinceMs ?? now))
        queuedSinceMs = nil
        startedMs = now
        finishedMs = nil
        exitCode = nil
        signal = nil
        error = nil
        self.logPath = logPath
    }

    /// Records the end of the running attempt.
    public mutating func finish(_ result: AttemptResult, now: Int64) {
        finishedMs = now
        processGroup = nil
        switch result {
        case let .exited(code):
            exitCode = code
            status = code == 0 ? .succeeded : .failed
            error = code == 0 ? nil : "exited with code \(code)"
        case let .signaled(number):
            signal = number
            status = .failed
            error = "killed by signal \(number)"
        case let .timedOut(afterMs, number):
            signal = number
            status = .failed
            error = "timed out after \(DurationText.text(afterMs))"
        case let .error(message):
            status = .failed
            error = message
        case .completed:
            status = .succeeded
        case let .canceled(number):
            signal = number
            status = .canceled
            error = "canceled"
        }
    }

    /// Records that the activity will not run because of its condition.
    public mutating func skip(now: Int64) {
        status = .skipped
        queuedSinceMs = nil
        finishedMs = now
    }

    /// Records that the activity will not run (again) because the instance is canceling.
    public mutating func cancel(now: Int64) {
        status = .canceled
        queuedSinceMs = nil
        finishedMs = now
    }
}
