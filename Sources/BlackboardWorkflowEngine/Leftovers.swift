import Foundation

/// Finding what an engine that died left running: every activity process carries
/// `BB_INSTANCE=ID` in its environment, so a resume can find the process groups of the
/// instance even when the engine died before it recorded them in the state file.
public enum Leftovers {
    /// The process groups of live processes whose environment holds `BB_INSTANCE=id`
    /// (readable for processes of the same user, or any as root). O(processes).
    public static func processGroups(ofInstance id: String) -> Set<pid_t> {
        let marker = Array("BB_INSTANCE=\(id)".utf8)
        var groups: Set<pid_t> = []
        for pid in ProcessTable.pids(root: "/proc") where pid != getpid() {
            guard let environ = SystemCalls.contents(of: "/proc/\(pid)/environ", limit: 1 << 20),
                  environ.split(separator: 0).contains(where: { $0.elementsEqual(marker) }),
                  let stat = SystemCalls.contents(of: "/proc/\(pid)/stat", limit: 4096),
                  let record = ProcessTable.parseStat(stat), !record.isZombie
            else { continue }
            groups.insert(record.group)
        }
        return groups
    }
}
