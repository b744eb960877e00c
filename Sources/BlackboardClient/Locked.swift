#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a `pthread_mutex_t`.
///
/// Not `Synchronization.Mutex`: on Linux that one is built on raw futex calls,
/// which ThreadSanitizer cannot see, so it reports every access made under the
/// lock as a race. TSan intercepts pthread mutexes, so this lock keeps the
/// sanitizer's reports meaningful.
///
/// The mutex is adaptive: a thread that finds it taken spins briefly before
/// sleeping, which suits critical sections of a few hundred nanoseconds (a
/// publish, the writer swapping buffers) better than a futex round trip.
///
/// Package-wide (`package`): the monitor, the workflow engine and the CLI use it
/// instead of `Mutex` for the same reason (`make test-sanitize` found the monitor's
/// store reported as racing under its `Mutex`). Like `Mutex`, it takes a value that
/// need not be `Sendable` (the monitor's SQLite connection): the value comes in as
/// `sending` and `withLock` hands out nothing but `sending` results, so no reference
/// to it can leave the lock and be used by two threads.
///
/// `@unchecked Sendable`: `value` is only read or written inside `withLock`,
/// between `pthread_mutex_lock` and `pthread_mutex_unlock`, and it was `sending`
/// into the lock and nothing non-Sendable escapes from it (as with `Mutex`).
package final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// A lock guarding `value`.
    package init(_ value: sending Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Not reentrant.
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
