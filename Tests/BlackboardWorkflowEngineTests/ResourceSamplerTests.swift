import Foundation
import Testing
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ResourceSamplerTests {
    @Test func cpuBurningChild() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try ChildProcess.spawn(.init(
            command: "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done", environment: basicEnvironment,
            logPath: directory.file("log")))
        let sampler = ResourceSampler(processGroup: child.processGroup, startedAt: child.startedAt)
        var during: [ResourceSample] = []
        // Sample as often as we can while it runs (it burns about half a second of CPU).
        while child.exit == nil {
            during.append(sampler.sample())
            _ = child.waitForExit(timeout: .milliseconds(20))
        }
        let exit = try #require(child.exit)
        #expect(exit.status == .exited(0))
        let running = during.filter { $0.processCount > 0 }
        try #require(!running.isEmpty, "no sample caught the child running")
        #expect(running.contains { $0.userSeconds > 0 && $0.percent > 0 })
        #expect(running.allSatisfy { $0.rssBytes > 0 && $0.peakRSSBytes >= $0.rssBytes })
        for (earlier, later) in zip(during, during.dropFirst()) {
            #expect(later.userSeconds >= earlier.userSeconds && later.systemSeconds >= earlier.systemSeconds)
            #expect(later.peakRSSBytes >= earlier.peakRSSBytes)
        }
        let after = sampler.finish(exit)
        // Never below what wait4 measured, and never double counted: a sample may have
        // seen the zombie leader, or the group already empty, before the exit's snapshot is folded.
        #expect(after.userSeconds >= exit.usage.userSeconds && after.userSeconds < exit.usage.userSeconds + 0.05)
        #expect(after.userSeconds > 0.05)
        #expect(after.percent > 0 && after.percent <= 105)
        #expect(after.peakRSSBytes == running.map(\.rssBytes).max()!)
        // A shell loop, not the test process's tens of megabytes (see ProcessUsage.maxRSSBytes).
        #expect(after.peakRSSBytes < 16 << 20)
        #expect(after.processCount == 0)
        let busiest = running.map(\.percent).max()!
        print("burner: \(running.count) samples while running, user \(after.userSeconds) s, system \(after.systemSeconds) s,",
              "RSS \(running.map(\.rssBytes).min()!)…\(after.peakRSSBytes) B, percent up to \(busiest),",
              "average \(after.percent),",
              "rusage user \(exit.usage.userSeconds) s, ru_maxrss \(exit.usage.maxRSSBytes) B")
    }

    @Test func writeBytesOfADdChild() throws {
        guard let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8), io.contains("write_bytes") else {
            // Kernels without CONFIG_TASK_IO_ACCOUNTING have no /proc/PID/io.
            print("skipped: /proc/self/io is not available here")
            return
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try ChildProcess.spawn(.init(
            command: "dd if=/dev/zero of=data bs=1M count=20 conv=fsync 2>/dev/null", environment: basicEnvironment,
            workingDirectory: directory.path, logPath: directory.file("log")))
        let sampler = ResourceSampler(processGroup: child.processGroup, startedAt: child.startedAt)
        let exit = try #require(child.waitForExit(timeout: .seconds(20)))
        #expect(exit.status == .exited(0))
        let after = sampler.finish(exit)
        let written = try #require(after.writeBytes)
        #expect(written >= 20 << 20)
        print("dd: write_bytes \(written), read_bytes \(after.readBytes ?? 0)")
    }

    /// The leader waits for a child that does the work: the child's counters reach
    /// the total through the leader's (waited-for) counters, and never go backwards.
    @Test func workOfAWaitedForChildIsCounted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try ChildProcess.spawn(.init(
            command: "(i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done); echo done",
            environment: basicEnvironment, logPath: directory.file("log")))
        let sampler = ResourceSampler(processGroup: child.processGroup, startedAt: child.startedAt)
        var samples: [ResourceSample] = []
        while child.exit == nil {
            samples.append(sampler.sample())
            _ = child.waitForExit(timeout: .milliseconds(10))
        }
        let after = sampler.finish(try #require(child.exit))
        for (earlier, later) in zip(samples, samples.dropFirst() + [after]) {
            #expect(later.userSeconds + later.systemSeconds >= earlier.userSeconds + earlier.systemSeconds)
        }
        #expect(after.userSeconds > 0.02)
    }

    @Test func samplingWithoutIO() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try ChildProcess.spawn(.init(command: "sleep 30", environment: basicEnvironment,
                                                 logPath: directory.file("log")))
        defer { child.terminate(grace: .zero) }
        let sampler = ResourceSampler(processGroup: child.processGroup, includeIO: false)
        let sample = sampler.sample()
        #expect(sample.processCount >= 1 && sample.rssBytes > 0)
        #expect(sample.readBytes == nil && sample.writeBytes == nil)
        #expect(sample.source == .proc)
    }

    @Test func diskSpace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let disk = try DiskSpace.measure(directory.path)
        #expect(disk.path == directory.path)
        #expect(disk.totalBytes > 0 && disk.freeBytes <= disk.totalBytes)
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: directory.path)
        #expect((attributes[.systemSize] as? NSNumber)?.uint64Value == disk.totalBytes)
        #expect(throws: EngineSystemError.system(call: "statvfs", path: directory.file("missing"), errno: ENOENT)) {
            try DiskSpace.measure(directory.file("missing"))
        }
    }
}
