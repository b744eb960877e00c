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

    @Test func ioFile() {
        let text = "rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\nwrite_bytes: 20975616\n"
            + "cancelled_write_bytes: 0\n"
        let io = ProcessTable.parseIO(Array(text.utf8))
        #expect(io.read == 4096 && io.write == 20975616)
        #expect(ProcessTable.parseIO([]).read == nil)
    }
}
