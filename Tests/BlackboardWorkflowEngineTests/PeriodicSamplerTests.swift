import Testing
@testable import BlackboardWorkflowEngine

@Suite struct PeriodicSamplerTests {
    @Test func scheduleBacksOff() {
        let schedule = SamplingSchedule()
        let intervals = [0, 9, 10, 19, 20, 30, 40, 50, 1000, Int.max].map { schedule.interval(afterSamples: $0) }
        #expect(intervals == [1, 1, 2, 2, 4, 8, 16, 30, 30, 30].map { Duration.seconds($0) })
        let fixed = SamplingSchedule(initial: .milliseconds(250), factor: 1, samplesPerStep: 1, maximum: .seconds(1))
        #expect(fixed.interval(afterSamples: 500) == .milliseconds(250))
        let quick = SamplingSchedule(initial: .milliseconds(100), factor: 3, samplesPerStep: 2, maximum: .seconds(1))
        #expect((0..<8).map { quick.interval(afterSamples: $0) }
            == [100, 100, 300, 300, 900, 900, 1000, 1000].map { Duration.milliseconds($0) })
    }

    @Test func switchesOnAndOff() throws {
        let calls = ConditionLock(0)
        let sampler = PeriodicSampler(
            schedule: SamplingSchedule(initial: .milliseconds(1), factor: 1), sample: { calls.update { $0 += 1 } })
        defer { sampler.stop() }
        #expect(!sampler.isEnabled)
        sampler.setEnabled(true)
        #expect(sampler.isEnabled)
        try waitUntil("three calls") { calls.withLock { $0 } >= 3 }
        sampler.setEnabled(false)
        // A call in flight may still finish; after that, nothing for 50 intervals.
        try waitUntil("calls to settle") { sampler.samplesTaken == calls.withLock { $0 } }
        let settled = calls.withLock { $0 }
        #expect(calls.wait(until: .now + .milliseconds(50)) { $0 > settled ? $0 : nil } == nil)
        sampler.setEnabled(true)
        try waitUntil("calls to resume") { calls.withLock { $0 } >= settled + 3 }
        #expect(sampler.samplesTaken >= settled + 3)
    }

    @Test func firstCallComesOneIntervalAfterEnabling() throws {
        let calls = ConditionLock<[ContinuousClock.Instant]>([])
        let enabled = ContinuousClock.now
        let sampler = PeriodicSampler(
            schedule: SamplingSchedule(initial: .milliseconds(40), factor: 1), enabled: true,
            sample: { calls.update { $0.append(.now) } })
        defer { sampler.stop() }
        try waitUntil("two calls") { calls.withLock { $0.count } >= 2 }
        let times = calls.withLock { $0 }
        #expect(times[0] - enabled >= .milliseconds(40))
        #expect(times[1] - times[0] >= .milliseconds(40))
    }

    @Test func stopsWhenTheChildExits() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let calls = ConditionLock(0)
        let box = ConditionLock<PeriodicSampler?>(nil)
        let child = try ChildProcess.spawn(
            .init(command: "sleep 30", environment: basicEnvironment, logPath: directory.file("log")),
            onExit: { _ in box.withLock { $0 }?.stop() })
        let sampler = PeriodicSampler(
            schedule: SamplingSchedule(initial: .milliseconds(1), factor: 1), enabled: true,
            sample: { calls.update { $0 += 1 } })
        box.update { $0 = sampler }
        try waitUntil("sampling while the child runs") { calls.withLock { $0 } >= 2 }
        child.terminate(grace: .zero)
        _ = try #require(child.waitForExit(timeout: .seconds(10)))
        #expect(!sampler.isEnabled)
        try waitUntil("calls to settle") { sampler.samplesTaken == calls.withLock { $0 } }
        let settled = calls.withLock { $0 }
        #expect(calls.wait(until: .now + .milliseconds(30)) { $0 > settled ? $0 : nil } == nil)
    }
}
