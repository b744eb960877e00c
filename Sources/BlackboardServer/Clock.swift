#if canImport(Glibc)
import Glibc
#endif

/// The two clocks the broker reads.
enum Clock {
    /// Monotonic nanoseconds, for deadlines and idle times.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Wall-clock milliseconds since the Unix epoch, the `ts` of deliveries.
    static func epochMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1_000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
