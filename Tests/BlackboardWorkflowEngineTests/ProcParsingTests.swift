import Foundation
import Testing
@testable import BlackboardWorkflowEngine

@Suite struct ProcParsingTests {
    @Test func statLineWithAnAwkwardCommandName() throws {
        let line = "4242 (a) b (c) S 4200 4242 4100 0 -1 4194304 97 0 0 0 12 3 40 5 20 0 1 0 1483151 3133440 359 "
            + "18446744073709551615 0 0 0\n"
        let record = try #require(ProcessTable.parseStat(Array(line.utf8)))
        #expect(record.pid == 4242 && record.parent == 4200 && record.group == 4242)
        #expect(record.state == UInt8(ascii: "S") && !record.isZombie)
        #expect(record.userTicks == 12 && record.systemTicks == 3)
        #expect(record.childUserTicks == 40 && record.childSystemTicks == 5)
        #expect(record.startTicks == 1483151 && record.rssPages == 359)
        #expect(ProcessTable.parseStat(Array("4242 (x) S 1 2 3".utf8)) == nil)
        #expect(ProcessTable.parseStat([]) == nil)
    }

    @Test func ourOwnStatLine() throws {
        let snapshot = ProcessTable.snapshot(group: getpgrp())
        let me = try #require(snapshot.processes.first { $0.pid == getpid() })
        #expect(me.parent == getppid())
        #expect(me.rssPages > 0)
    }

    /// A child read before its parent, and reaped by the parent between the two
    /// reads, is left out: its counters are already in the parent's. A child read
    /// after its parent, or one that is still there, is kept.
    @Test(arguments: [false, true]) func childReapedBetweenTheReadsIsLeftOut(reaped: Bool) {
        final class FakeProc: @unchecked Sendable {
            // Only touched from the snapshot's own thread, one call at a time.
            var files: [String: String] = [:]
            let reaped: Bool
            init(reaped: Bool) {
                self.reaped = reaped
                files["/proc/150/stat"] = Self.stat(150, parent: 200, user: 50)
                files["/proc/200/stat"] = Self.stat(200, parent: 1, user: 1)
                files["/proc/300/stat"] = Self.stat(300, parent: 200, user: 7)
            }
            static func stat(_ pid: Int, parent: Int, user: Int, childUser: Int = 0) -> String {
                "\(pid) (sh) S \(parent) 200 200 0 -1 0 0 0 0 0 \(user) 0 \(childUser) 0 20 0 1 0 \(pid) 0 10 0\n"
            }
            func contents(_ path: String) -> [UInt8]? {
                if reaped, path == "/proc/200/stat" {
                    files["/proc/150/stat"] = nil
                    files["/proc/200/stat"] = Self.stat(200, parent: 1, user: 1, childUser: 50)
                }
                return files[path].map { Array($0.utf8) }
            }
        }
        let fake = FakeProc(reaped: reaped)
        let source = ProcessTable.Source(pids: { [150, 200, 300] }, contents: { fake.contents($0) })
        let snapshot = ProcessTable.snapshot(group: 200, includeIO: false, source: source)
        #expect(snapshot.processes.map(\.pid) == (reaped ? [200, 300] : [150, 200, 300]))
        let total = snapshot.processes.reduce(0) { $0 + $1.userTicks + $1.childUserTicks }
        #expect(total == 58)
    }

    @Test func ioFile() {
        let text = "rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\nwrite_bytes: 20975616\n"
            + "cancelled_write_bytes: 0\n"
        let io = ProcessTable.parseIO(Array(text.utf8))
        #expect(io.read == 4096 && io.write == 20975616)
        #expect(ProcessTable.parseIO([]).read == nil)
    }
}
