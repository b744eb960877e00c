import Foundation
import Testing
@testable import BlackboardWorkflowEngine

#if canImport(Glibc)
import Glibc
#endif

@Suite struct CgroupTests {
    @Test func cgroupFiles() throws {
        #expect(Cgroup.unifiedPath(Array("4:memory:/x\n0::/system.slice/job-7\n".utf8)) == "/system.slice/job-7")
        #expect(Cgroup.unifiedPath(Array("4:memory:/x\n".utf8)) == nil)
        let mountinfo = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
            + "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
            + "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw\n"
        #expect(Cgroup.mountPoint(inMountinfo: Array(mountinfo.utf8)) == "/sys/fs/cgroup/unified")

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(Cgroup.counters(in: directory.path) == CgroupCounters())
        try "usage_usec 3500\nuser_usec 3000\nsystem_usec 500\nnr_periods 0\n"
            .write(toFile: directory.file("cpu.stat"), atomically: false, encoding: .utf8)
        try "1048576\n".write(toFile: directory.file("memory.current"), atomically: false, encoding: .utf8)
        try "8:0 rbytes=100 wbytes=2000 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=5 wbytes=30 rios=1 wios=1\n"
            .write(toFile: directory.file("io.stat"), atomically: false, encoding: .utf8)
        #expect(Cgroup.counters(in: directory.path) == CgroupCounters(
            userMicros: 3000, systemMicros: 500, memoryCurrent: 1 << 20, memoryPeak: nil, readBytes: 105, writeBytes: 2030))
    }

    /// In this container (and wherever the engine and its children share a cgroup) there is no own cgroup.
    @Test func noOwnCgroupForAChildInTheEnginesCgroup() {
        #expect(Cgroup.ownDirectory(of: getpid()) == nil)
    }
}
