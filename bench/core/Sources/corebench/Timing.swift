// Time and memory readings, and the statistics every measurement reports.
import Glibc

/// Monotonic time in nanoseconds: clock_gettime(CLOCK_MONOTONIC), a vDSO call of
/// about 20 ns, small against the microsecond operations measured here.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}

/// Microseconds between two readings of ``monotonicNanoseconds()``.
@inline(__always)
func microseconds(from start: UInt64, to end: UInt64) -> Double {
    Double(end &- start) / 1_000
}

/// Median, 90th percentile and friends of a sample (nearest-rank percentiles).
struct Summary {
    var count = 0
    var median = 0.0
    var p90 = 0.0
    var minimum = 0.0
    var maximum = 0.0
    var mean = 0.0

    init(_ samples: [Double]) {
        guard !samples.isEmpty else { return }
        let sorted = samples.sorted()
        count = sorted.count
        median = Summary.percentile(sorted, 0.5)
        p90 = Summary.percentile(sorted, 0.9)
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        mean = sorted.reduce(0, +) / Double(sorted.count)
    }

    /// The element at rank round(q·(n−1)) of an ascending array.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        sorted[Int((Double(sorted.count - 1) * q).rounded())]
    }
}

/// The process's resident set size and its peak, in bytes, from /proc/self/status.
struct ResidentMemory {
    var current = 0
    var peak = 0

    /// Reads VmRSS and VmHWM (reported in kB).
    static func read() -> ResidentMemory {
        var result = ResidentMemory()
        guard let file = fopen("/proc/self/status", "r") else { return result }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if text.hasPrefix("VmRSS:") { result.current = kilobytes(text) * 1024 }
            if text.hasPrefix("VmHWM:") { result.peak = kilobytes(text) * 1024 }
        }
        return result
    }

    private static func kilobytes(_ line: String) -> Int {
        Int(String(line.filter { $0.isNumber })) ?? 0
    }
}

/// Gives freed heap pages back to the kernel, so that RSS reflects live data only.
/// glibc's malloc_trim, looked up at run time (Glibc's module map lacks malloc.h).
func returnFreeMemoryToSystem() {
    typealias MallocTrim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
}
