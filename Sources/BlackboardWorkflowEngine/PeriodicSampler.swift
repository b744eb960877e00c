import Foundation

/// Calls a closure on a background thread at the intervals of a
/// ``SamplingSchedule`` while enabled: the engine's `During` resource samples.
///
/// It can be enabled and disabled any number of times (the tracking service enables
/// it only while some `res.*` concept is wanted); once enabled, the first call
/// comes one interval later. The schedule advances with the calls made, so an
/// activity that was sampled for a long time keeps its long interval after a pause.
/// ``stop()`` ends the thread for good: the engine calls it when the child exits
/// (from ``ChildProcess``'s `onExit`). A call in progress is not interrupted.
///
/// Thread-safe: every method may be called from any thread, including from the closure.
public final class PeriodicSampler: Sendable {
    struct State {
        var enabled: Bool
        var stopped = false
        /// Calls made so far: the position in the schedule.
        var count = 0
        /// When the next call is due (while enabled).
        var due: ContinuousClock.Instant
        /// Bumped by every change, so the thread's wait ends and it looks again.
        var generation = 0
    }

    private let state: ConditionLock<State>
    /// The schedule it follows.
    public let schedule: SamplingSchedule

    /// Starts the thread; `sample` is called on it, first one interval after the
    /// sampler is enabled (here, if `enabled`).
    public init(schedule: SamplingSchedule = SamplingSchedule(), enabled: Bool = false,
                sample: @escaping @Sendable () -> Void) {
        self.schedule = schedule
        let state = ConditionLock(State(enabled: enabled, due: .now + schedule.interval(afterSamples: 0)))
        self.state = state
        Thread.detachNewThread { Self.run(state, schedule, sample) }
    }

    deinit { stop() }

    /// Whether calls are being made.
    public var isEnabled: Bool { state.withLock { $0.enabled && !$0.stopped } }

    /// How many calls have been made.
    public var samplesTaken: Int { state.withLock { $0.count } }

    /// Switches the calls on or off. Switching on schedules the next call one interval from now.
    public func setEnabled(_ enabled: Bool) {
        state.update { state in
            if enabled && !state.enabled { state.due = .now + schedule.interval(afterSamples: state.count) }
            state.enabled = enabled
            state.generation += 1
        }
    }

    /// Ends the thread; no call starts afterwards.
    public func stop() {
        state.update { state in
            state.stopped = true
            state.generation += 1
        }
    }

    private enum Step {
        case exit
        case call
        case wait(until: ContinuousClock.Instant?, generation: Int)
    }

    private static func run(_ state: ConditionLock<State>, _ schedule: SamplingSchedule,
                            _ sample: @Sendable () -> Void) {
        while true {
            let step = state.withLock { state -> Step in
                if state.stopped { return .exit }
                if !state.enabled { return .wait(until: nil, generation: state.generation) }
                if ContinuousClock.now >= state.due { return .call }
                return .wait(until: state.due, generation: state.generation)
            }
            switch step {
            case .exit:
                return
            case .call:
                sample()
                state.withLock { state in
                    state.count += 1
                    state.due = .now + schedule.interval(afterSamples: state.count)
                }
            case let .wait(deadline, generation):
                _ = state.wait(until: deadline) { $0.generation != generation ? true : nil }
            }
        }
    }
}
