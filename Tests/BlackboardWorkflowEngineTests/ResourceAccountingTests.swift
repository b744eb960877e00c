import Testing
@testable import BlackboardWorkflowEngine

/// The accounting rule (ResourceAccounting.swift) on made-up snapshots: 100 ticks
/// per second, 4096-byte pages.
@Suite struct ResourceAccountingTests {
    let start = ContinuousClock.now

    func process(_ pid: Int32, parent: Int32, user: UInt64 = 0, childUser: UInt64 = 0, rss: UInt64 = 0,
                 write: UInt64 = 0, state: Character = "R") -> ProcessRecord {
        ProcessRecord(pid: pid, parent: parent, group: 100, state: UInt8(ascii: state.unicodeScalars.first!),
                      startTicks: UInt64(pid), userTicks: user, systemTicks: 0, childUserTicks: childUser,
                      childSystemTicks: 0, rssPages: rss, readBytes: 0, writeBytes: write)
    }

    func snapshot(at seconds: Double, _ processes: [ProcessRecord]) -> ProcessGroupSnapshot {
        ProcessGroupSnapshot(group: 100, takenAt: start + .seconds(seconds), processes: processes)
    }

    func accounting() -> ResourceAccounting {
        ResourceAccounting(startedAt: start, ticksPerSecond: 100, pageSize: 4096)
    }

    @Test func childReapedByAGroupMemberIsNotCountedTwice() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1), process(101, parent: 100, user: 50, write: 1000)]))
        #expect(accounting.report(at: start + .seconds(1)).userSeconds == 0.5)
        // 101 exited with 60 ticks and was waited for by 100: its counters moved to 100's.
        accounting.observe(snapshot(at: 2, [process(100, parent: 1, childUser: 60, write: 1200)]))
        let sample = accounting.report(at: start + .seconds(2))
        #expect(sample.userSeconds == 0.6)
        #expect(sample.writeBytes == 1200)
        #expect(abs(sample.percent - 10) < 1e-9)
    }

    /// `sh -c 'sh script'`: the script's awk and then the script's shell are both
    /// reaped between two samples; the awk's counters reach the leader through the
    /// shell's, and count once.
    @Test func grandchildLeavingWithItsParentIsNotCountedTwice() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1), process(101, parent: 100),
                                            process(102, parent: 101, user: 85, write: 800)]))
        #expect(accounting.report(at: start + .seconds(1)).userSeconds == 0.85)
        accounting.observe(snapshot(at: 2, [process(100, parent: 1, childUser: 133, write: 1000)]))
        let sample = accounting.report(at: start + .seconds(2))
        #expect(sample.userSeconds == 1.33)
        #expect(sample.writeBytes == 1000)
    }

    /// A sample finds the group empty (the leader reaped) before the exit's snapshot is
    /// folded: what left with the leader is held by it, and `wait4` gives the total.
    @Test func emptyGroupBeforeTheExitSnapshotsCountsNothingTwice() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1), process(101, parent: 100, user: 38)]))
        accounting.observe(snapshot(at: 2, []))
        #expect(accounting.report(at: start + .seconds(2)).userSeconds == 0.38)
        accounting.observe(snapshot(at: 1.9, [process(100, parent: 1, childUser: 80, state: "Z")]))
        accounting.observe(ProcessUsage(userSeconds: 0.8123, systemSeconds: 0.004))
        let final = accounting.report(at: start + .seconds(2), final: true)
        #expect(final.userSeconds == 0.8123 && final.systemSeconds == 0.004)
    }

    /// An orphan (its parent gone first, reparented to init) is not in the leader's
    /// `wait4`: its last-seen counters are added to it, even when its chain runs
    /// through a group member that left.
    @Test func orphansAreAddedToTheLeadersRusage() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1), process(101, parent: 100, user: 5),
                                            process(102, parent: 101, user: 20), process(103, parent: 1, user: 30),
                                            process(104, parent: 103, user: 7)]))
        // 101 exited, 102 was reparented to init; 103 (an orphan already) reaped 104 and exited.
        accounting.observe(snapshot(at: 2, [process(100, parent: 1, childUser: 5),
                                            process(102, parent: 1, user: 40)]))
        #expect(accounting.report(at: start + .seconds(2)).userSeconds == 0.82)
        // The leader exits; 102 is a leftover, killed.
        accounting.observe(snapshot(at: 3, [process(100, parent: 1, user: 2, childUser: 5, state: "Z"),
                                            process(102, parent: 1, user: 45)]))
        accounting.observe(snapshot(at: 3.1, [process(100, parent: 1, user: 2, childUser: 5, state: "Z")]))
        accounting.observe(ProcessUsage(userSeconds: 0.0712))
        let final = accounting.report(at: start + .seconds(3.1), final: true)
        #expect(abs(final.userSeconds - (0.0712 + 0.45 + 0.37)) < 1e-9)
    }

    @Test func orphanReapedOutsideTheGroupKeepsItsLastSeenCounters() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1, user: 10), process(101, parent: 100, user: 40)]))
        // The leader exited without waiting; 101 was reparented to init…
        accounting.observe(snapshot(at: 2, [process(100, parent: 1, user: 10, state: "Z"),
                                            process(101, parent: 1, user: 70)]))
        #expect(accounting.report(at: start + .seconds(2)).userSeconds == 0.8)
        // …which reaped it: its last-seen 70 ticks stay in the total.
        accounting.observe(snapshot(at: 3, [process(100, parent: 1, user: 10, state: "Z")]))
        let sample = accounting.report(at: start + .seconds(3))
        #expect(sample.userSeconds == 0.8)
        #expect(sample.percent == 0)
        #expect(sample.processCount == 0)
    }

    @Test func totalsNeverGoBackwardsAndPeakIsKept() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1, user: 100, rss: 30, write: 500)]))
        _ = accounting.report(at: start + .seconds(1))
        // A process that leaves the group by changing its group id (seen as vanishing with a
        // group member as parent) would make the sum drop: the total holds.
        accounting.observe(snapshot(at: 2, [process(100, parent: 1, user: 20, rss: 10, write: 100)]))
        let sample = accounting.report(at: start + .seconds(2))
        #expect(sample.userSeconds == 1.0)
        #expect(sample.writeBytes == 500)
        #expect(sample.rssBytes == 10 * 4096)
        #expect(sample.peakRSSBytes == 30 * 4096)
    }

    @Test func percentIsOverTheIntervalSinceTheLastReport() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 0.5, [process(100, parent: 1, user: 25)]))
        #expect(abs(accounting.report(at: start + .seconds(0.5)).percent - 50) < 1e-9)
        // Two cores busy for a quarter second.
        accounting.observe(snapshot(at: 0.75, [process(100, parent: 1, user: 75)]))
        #expect(abs(accounting.report(at: start + .seconds(0.75)).percent - 200) < 1e-9)
    }

    /// The exit's snapshot, taken before the leader was reaped, folded after a sample
    /// that found the group empty: the leader is counted once.
    @Test func aLateSnapshotDoesNotCountADepartedProcessTwice() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 7, user: 60, state: "Z")]))
        accounting.observe(snapshot(at: 2, []))
        #expect(accounting.report(at: start + .seconds(2)).userSeconds == 0.6)
        accounting.observe(snapshot(at: 1.5, [process(100, parent: 7, user: 61, state: "Z")]))
        let final = accounting.report(at: start + .seconds(2), final: true)
        #expect(final.userSeconds == 0.61)
        #expect(abs(final.percent - 30.5) < 1e-9)
    }

    @Test func rusageRaisesTheFinalCPUButNotThePeak() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1, user: 10, rss: 2)]))
        accounting.observe(ProcessUsage(userSeconds: 0.123, systemSeconds: 0.01, maxRSSBytes: 1 << 20))
        let sample = accounting.report(at: start + .seconds(1))
        #expect(sample.userSeconds == 0.123)
        #expect(sample.systemSeconds == 0.01)
        #expect(sample.peakRSSBytes == 2 * 4096)
    }

    @Test func cgroupCountersReplaceProcWhereTheyArePresent() {
        var accounting = accounting()
        accounting.observe(snapshot(at: 1, [process(100, parent: 1, user: 10, rss: 2, write: 10)]))
        accounting.observe(CgroupCounters(userMicros: 2_000_000, systemMicros: nil, memoryCurrent: 5000,
                                          memoryPeak: 9000, readBytes: 7, writeBytes: 70), directory: "/cg/a")
        let sample = accounting.report(at: start + .seconds(1))
        #expect(sample.source == .cgroup("/cg/a"))
        #expect(sample.userSeconds == 2)
        #expect(sample.systemSeconds == 0)
        #expect(sample.rssBytes == 5000 && sample.peakRSSBytes == 9000)
        #expect(sample.readBytes == 7 && sample.writeBytes == 70)
    }
}
