#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a pthread mutex, with a condition variable on which threads
/// wait for the value to change, with or without a deadline.
///
/// pthread rather than `Synchronization.Mutex`: the wait needs a condition variable,
/// and ThreadSanitizer understands pthread locks. The condition variable runs on
/// `CLOCK_MONOTONIC`, so a change of the wall clock does not stretch or cut a wait.
///
/// `@unchecked Sendable`: `value` is only read or written between
/// `pthread_mutex_lock` and `pthread_mutex_unlock`, and `Value` is Sendable.
final class ConditionLock<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Not reentrant.
    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Runs `body` with exclusive access and then wakes every waiter, which re-checks its condition.
    func update<Result>(_ body: (inout Value) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return body(&value)
    }

    /// Calls `ready` under the lock until it returns a result, waiting for an
    /// `update` between calls; gives up and returns nil once `deadline` passes
    /// (never, if nil). `ready` is called at least once.
    func wait<Result>(until deadline: ContinuousClock.Instant?, _ ready: (inout Value) -> Result?) -> Result? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let result = ready(&value) { return result }
            guard let deadline else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            let remaining = deadline - .now
            if remaining <= .zero { return nil }
            var until = Self.monotonicNow(plus: remaining)
            pthread_cond_timedwait(condition, mutex, &until)
        }
    }

    /// `CLOCK_MONOTONIC` now plus `duration`, as the absolute time `pthread_cond_timedwait` takes.
    private static func monotonicNow(plus duration: Duration) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        // At most a day per wait: the caller loops, and this keeps the sum from overflowing.
        let total = min(duration.clampedNanoseconds, 86_400 * 1_000_000_000) + now.tv_nsec
        return timespec(tv_sec: now.tv_sec + total / 1_000_000_000, tv_nsec: total % 1_000_000_000)
    }
}
