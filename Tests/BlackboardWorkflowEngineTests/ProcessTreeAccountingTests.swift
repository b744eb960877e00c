import Foundation
import Testing
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

/// Real process trees under the sampler: the final CPU must equal what `wait4`
/// measured for the leader (which covers every descendant waited for along the way),
/// no sample may go backwards or exceed the final one, and the average percent must
/// be one a single core (or two, for a pipeline) can reach. The burner is mawk doing
/// floating point over a CSV, about a third of a second of CPU per pass here.
@Suite struct ProcessTreeAccountingTests {
    /// A tree shape, and the most CPU it can use at once (in percent of one core).
    struct Shape: CustomTestStringConvertible, Sendable {
        var name: String
        var command: String
        var maxPercent: Double
        var testDescription: String { name }
    }

    static let burn = #"awk -F, '{ s += $2; for (k = 0; k < 300; k++) x = sin(x + $2) } END { print s, x }' data.csv"#
    static let relay = #"awk -F, '{ for (k = 0; k < 300; k++) x = sin(x + $2); print }' data.csv"#

    static let shapes = [
        Shape(name: "sh forks one child", command: burn, maxPercent: 105),
        Shape(name: "two children in sequence", command: "\(burn); \(burn)", maxPercent: 105),
        Shape(name: "a pipeline of two", command: "\(relay) | \(burn.replacingOccurrences(of: " data.csv", with: ""))",
              maxPercent: 205),
        Shape(name: "a grandchild that exits before the leader", command: "sh ./burn.sh; echo done", maxPercent: 105),
        Shape(name: "a subshell whose child exits first", command: "(\(burn); \(burn)); echo done", maxPercent: 105),
    ]

    /// What one run under the sampler gave.
    struct Observed {
        var exit: ChildExit
        var during: [ResourceSample]
        var after: ResourceSample
        var cpu: Double { after.userSeconds + after.systemSeconds }
        var rusageCPU: Double { exit.usage.userSeconds + exit.usage.systemSeconds }
    }

    /// A directory with `data.csv` (the burner's input) and `burn.sh` (one burner pass).
    static func workspace(rows: Int = 6000) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        var csv = ""
        var value: UInt64 = 1
        for row in 1...rows {
            value = value &* 6364136223846793005 &+ 1442695040888963407
            csv += "\(row),\(Double(value >> 40) / Double(1 << 24) * 100)\n"
        }
        try csv.write(toFile: directory.file("data.csv"), atomically: false, encoding: .utf8)
        try "\(burn)\n".write(toFile: directory.file("burn.sh"), atomically: false, encoding: .utf8)
        return directory
    }

    /// Runs `command` in `directory`, sampling every `interval` until it has exited.
    static func observe(_ command: String, in directory: TemporaryDirectory,
                        every interval: Duration = .milliseconds(20),
                        whileRunning: (ResourceSampler) throws -> Void = { _ in }) throws -> Observed {
        let child = try ChildProcess.spawn(.init(command: command, environment: basicEnvironment,
                                                 workingDirectory: directory.path, logPath: directory.file("log")))
        defer { child.terminate(grace: .zero) }
        let sampler = ResourceSampler(processGroup: child.processGroup, startedAt: child.startedAt)
        try whileRunning(sampler)
        var during: [ResourceSample] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while child.exit == nil, ContinuousClock.now < deadline {
            during.append(sampler.sample())
            _ = child.waitForExit(timeout: interval)
        }
        let exit = try #require(child.exit, "\(command) still running after a minute")
        return Observed(exit: exit, during: during, after: sampler.finish(exit))
    }

    /// The checks every shape must pass; `extra` is CPU the leader's `wait4` cannot see (orphans).
    static func checkCPU(_ observed: Observed, maxPercent: Double, extra: Double = 0,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = observed.rusageCPU + extra
        let tolerance = max(0.03, expected * 0.05)
        #expect(abs(observed.cpu - expected) <= tolerance,
                "final CPU \(observed.cpu) s, expected \(expected) s", sourceLocation: sourceLocation)
        let samples = observed.during + [observed.after]
        for (earlier, later) in zip(samples, samples.dropFirst()) {
            #expect(later.userSeconds >= earlier.userSeconds && later.systemSeconds >= earlier.systemSeconds,
                    "went backwards: \(earlier) then \(later)", sourceLocation: sourceLocation)
            #expect(later.peakRSSBytes >= earlier.peakRSSBytes, sourceLocation: sourceLocation)
        }
        for sample in samples {
            #expect(sample.peakRSSBytes >= sample.rssBytes, sourceLocation: sourceLocation)
        }
        #expect(observed.after.peakRSSBytes >= samples.map(\.rssBytes).max() ?? 0, sourceLocation: sourceLocation)
        let cores = Double(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #expect(observed.after.percent > 0 && observed.after.percent <= min(maxPercent, 100 * cores + 5),
                "average percent \(observed.after.percent)", sourceLocation: sourceLocation)
    }

    @Test(arguments: shapes) func finalCPUIsWhatWait4Measured(_ shape: Shape) throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let observed = try Self.observe(shape.command, in: directory)
        #expect(observed.exit.status == .exited(0), "\(directory.read("log"))")
        #expect(observed.rusageCPU > 0.1, "the burner burned too little to tell anything")
        #expect(observed.during.contains { $0.processCount > 1 && $0.userSeconds > 0 },
                "no sample caught a child at work")
        Self.checkCPU(observed, maxPercent: shape.maxPercent)
        print("\(shape.name): \(observed.during.count) samples, last during",
              "\(observed.during.last.map { $0.userSeconds + $0.systemSeconds } ?? 0) s;",
              "final \(observed.cpu) s (\(observed.after.userSeconds) user), rusage \(observed.rusageCPU) s,",
              "average \(observed.after.percent)%")
    }

    /// A grandchild orphaned while it works (its parent exits at once, so init reaps it):
    /// `wait4`'s rusage of the leader cannot include it, the samples do. The orphan
    /// reports its own CPU with `times`, then waits as a leftover to be killed.
    @Test func orphanIsCountedBesideTheLeadersRusage() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let command = """
            mkfifo ready; ( ( \(Self.burn) >/dev/null; times > orphan-times; echo > ready; exec sleep 60 ) & ); \
            read line < ready; \(Self.burn)
            """
        let observed = try Self.observe(command, in: directory)
        #expect(observed.exit.status == .exited(0), "\(directory.read("log"))")
        #expect(observed.exit.leftovers == 1)
        // `times`: the shell's own user and system time, then its children's: `0m0.31s 0m0.01s`.
        let fields = directory.read("orphan-times").split(whereSeparator: \.isWhitespace)
        let seconds = fields.compactMap { field -> Double? in
            guard let m = field.firstIndex(of: "m"), field.hasSuffix("s") else { return nil }
            guard let minutes = Double(field[..<m]), let rest = Double(field[field.index(after: m)...].dropLast())
            else { return nil }
            return minutes * 60 + rest
        }
        try #require(seconds.count == 4, "times printed \(fields)")
        let orphan = seconds.reduce(0, +)
        #expect(orphan > 0.1)
        Self.checkCPU(observed, maxPercent: 205, extra: orphan)
        print("orphan: \(orphan) s by times, rusage \(observed.rusageCPU) s, final \(observed.cpu) s")
    }

    /// Two writers in sequence, each 8 MiB: the tree wrote 16 MiB, whatever the samples
    /// saw; run by the leader itself, and by a shell under it (so writers and their
    /// parent can leave between two samples).
    @Test(arguments: [false, true]) func writeBytesOfTwoSequentialChildren(nested: Bool) throws {
        guard let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8), io.contains("write_bytes") else {
            print("skipped: /proc/self/io is not available here")
            return
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writers = "dd if=/dev/zero of=F bs=1M count=8 conv=fsync 2>/dev/null; "
            + "dd if=/dev/zero of=G bs=1M count=8 conv=fsync 2>/dev/null"
        let observed = try Self.observe(nested ? "sh -c '\(writers)'; echo done" : writers, in: directory,
                                        every: .milliseconds(5))
        #expect(observed.exit.status == .exited(0))
        let written = try #require(observed.after.writeBytes)
        #expect(written >= 16 << 20 && written < 18 << 20, "write_bytes \(written)")
        let samples = observed.during + [observed.after]
        for (earlier, later) in zip(samples, samples.dropFirst()) {
            #expect((later.writeBytes ?? 0) >= (earlier.writeBytes ?? 0))
        }
        print("two dd\(nested ? " under a shell" : ""): write_bytes \(written)",
              "(\(Double(written) / 1048576) MiB), \(observed.during.count) samples")
    }

    /// Peak RSS is the largest sum seen at one sample: two processes that each hold
    /// memory in turn do not add up, two that hold it at once do.
    @Test(arguments: [false, true]) func peakRSSIsTheLargestSumAtOneSample(together: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Each holder fills an array (about 40 MB resident), says so in `readyN`, then blocks on the fifo `goN`.
        func holder(_ n: Int) -> String {
            #"awk 'BEGIN { for (i = 0; i < 200000; i++) a[i] = sprintf("%0100d", i); "#
                + #"print "x" > "ready\#(n)"; close("ready\#(n)"); getline line < "go\#(n)" }'"#
        }
        let command = together
            ? "mkfifo go1 go2; \(holder(1)) & \(holder(2)) & wait"
            : "mkfifo go1 go2; \(holder(1)); \(holder(2))"
        var seen: [ResourceSample] = []
        let observed = try Self.observe(command, in: directory) { sampler in
            func release(_ n: Int) throws {
                try waitUntil("holder \(n) ready") {
                    FileManager.default.fileExists(atPath: directory.file("ready\(n)"))
                }
                seen.append(sampler.sample())
                // Opening the fifo for writing, then closing it, gives the holder's getline its end of file.
                try waitUntil("holder \(n) reading go\(n)") {
                    let fd = open(directory.file("go\(n)"), O_WRONLY | O_NONBLOCK)
                    if fd >= 0 { close(fd) }
                    return fd >= 0
                }
            }
            if together {
                try waitUntil("both holders ready") {
                    FileManager.default.fileExists(atPath: directory.file("ready1"))
                        && FileManager.default.fileExists(atPath: directory.file("ready2"))
                }
            }
            try release(1)
            try release(2)
        }
        #expect(observed.exit.status == .exited(0), "\(directory.read("log"))")
        let peak = observed.after.peakRSSBytes
        let largestSeen = (seen + observed.during).map(\.rssBytes).max() ?? 0
        #expect(peak >= largestSeen)
        let holding = seen.map(\.rssBytes)
        if together {
            // The sample that saw both holding (the first one) is the peak.
            #expect(peak >= holding[0] && holding[0] > 40 << 20, "peak \(peak), seen \(holding)")
        } else {
            // Each holder alone: the peak is one holder (and the shell), not two.
            #expect(holding.allSatisfy { $0 > 20 << 20 })
            #expect(peak < holding.min()! * 3 / 2, "peak \(peak), seen \(holding)")
        }
        print("peak RSS (\(together ? "together" : "in turn")): \(peak) B, samples at the holders: \(holding)")
    }
}
