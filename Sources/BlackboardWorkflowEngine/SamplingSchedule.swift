#if canImport(Glibc)
import Glibc
#endif

/// The intervals of periodic resource sampling, backing off for long activities:
/// `initial` for the first `samplesPerStep` samples, then `initial × factor` for
/// the next `samplesPerStep`, and so on, never above `maximum`.
///
/// The defaults (1 s, ×2 every 10 samples, at most 30 s) sample every second for
/// the first 10 s, every 2 s up to 30 s, every 4 s up to 70 s, every 8 s up to
/// 150 s, every 16 s up to 310 s, then every 30 s: about 30 samples in the first
/// two minutes and 2 a minute after five.
public struct SamplingSchedule: Equatable, Sendable {
    /// The first interval.
    public var initial: Duration
    /// The multiplier applied after every `samplesPerStep` samples (1 for a fixed interval).
    public var factor: Double
    /// How many samples are taken at each interval before it grows (at least 1).
    public var samplesPerStep: Int
    /// The longest interval.
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), factor: Double = 2, samplesPerStep: Int = 10,
                maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.factor = factor
        self.samplesPerStep = samplesPerStep
        self.maximum = maximum
    }

    /// The wait before the next sample when `count` samples have been taken.
    public func interval(afterSamples count: Int) -> Duration {
        let steps = max(0, count) / max(1, samplesPerStep)
        let scale = pow(max(1, factor), Double(steps))
        guard (initial.seconds * scale).isFinite, initial.seconds * scale < maximum.seconds else { return maximum }
        return initial * scale
    }
}
