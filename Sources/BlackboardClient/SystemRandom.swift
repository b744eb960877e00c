/// The system's random numbers through a generator that has storage.
///
/// `SystemRandomNumberGenerator` is an empty struct: passed `inout`, it has no
/// address of its own, and ThreadSanitizer reports two threads drawing numbers
/// at once as a race on the shared placeholder. Wrapped with a counter, each
/// caller's generator lives in its own stack slot.
struct SystemRandom: RandomNumberGenerator {
    private var system = SystemRandomNumberGenerator()
    /// How many numbers this generator produced.
    private(set) var draws = 0

    mutating func next() -> UInt64 {
        draws += 1
        return system.next()
    }
}
