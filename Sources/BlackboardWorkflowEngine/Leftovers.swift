import Foundation

/// Finding what an engine that died left running: every activity process carries
/// `BB_INSTANCE=ID` in its environment, so a resume can find the process groups of the
/// instance even when the engine died before it recorded them in the state file.
public enum Leftovers {
    /// The process groups of live processes whose environment holds `BB_INSTANCE=id`
    /// (readable for processes of the same user, or any as root). O(processes).
    public static func processGroups(ofInstance id: String) -> Set<pid_t> {
        let marker = Array("BB_INSTANCE=\(id)".utf8) + [0]
        var groups: Set<pid_t> = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), pid != getpid(),
                  let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  contains(Array(environ), marker),
                  let group = processGroup(of: pid)
            else { continue }
            groups.insert(group)
        }
        return groups
    }

    /// The process group of `pid`, from /proc/PID/stat (the 5th field, after the command).
    static func processGroup(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, fields[0] != "Z" else { return nil }
        return pid_t(fields[2])
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        var start = 0
        // Entries are NUL-terminated: compare at each entry's start only.
        while start + needle.count <= haystack.count {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
            guard let next = haystack[start...].firstIndex(of: 0) else { return false }
            start = next + 1
        }
        return false
    }
}
