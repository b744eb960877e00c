// How far the tests' bounds stretch in a sanitized build (`make test-sanitize`,
// scripts/test-sanitize.sh, which sets both variables). Unset, both factors are 1.
//
// BLACKBOARD_TEST_TIME_SCALE: sanitized code runs several times slower
// (ThreadSanitizer 5-15x), so the wait helpers (waitUntil, collect, the raw client's
// reads) multiply their deadlines by it. Only deadlines scale: what a test asserts
// stays the same, and waits for silence ("nothing arrives within t") do not.
//
// BLACKBOARD_TEST_MEMORY_SCALE: a sanitizer replaces the allocator (redzones around
// every block, shadow memory, per-thread caches), so a resident-set bound measured
// for the real allocator is multiplied by it; the bound still catches growth that
// follows the attacker's input rather than the configured limits.

#if canImport(Glibc)
import Glibc
#endif

/// The factor from `BLACKBOARD_TEST_TIME_SCALE` (at least 1), or 1.
public let testTimeScale: Double = scale(from: "BLACKBOARD_TEST_TIME_SCALE")

/// The factor from `BLACKBOARD_TEST_MEMORY_SCALE` (at least 1), or 1.
public let testMemoryScale: Double = scale(from: "BLACKBOARD_TEST_MEMORY_SCALE")

/// `seconds`, scaled by ``testTimeScale``: the deadline a wait helper actually uses.
public func scaledTimeout(_ seconds: Double) -> Double { seconds * testTimeScale }

/// The number in environment variable `name` if it is at least 1, else 1.
private func scale(from name: String) -> Double {
    guard let raw = getenv(name), let value = Double(String(cString: raw)), value >= 1 else { return 1 }
    return value
}
