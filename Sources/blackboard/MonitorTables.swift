import BlackboardMonitor
import Foundation

/// The monitor's JSON answers as text tables (docs/WORKFLOWS.md lists the fields).
enum MonitorTables {
    /// `/instances`: one row per instance.
    static func instances(_ answer: JSONValue) -> [String] {
        let rows = answer["instances"]?.array ?? []
        var table = TextTable([.left, .left, .left, .left, .left, .right, .right, .left])
        table.append(["INSTANCE", "STATE", "WORKFLOW", "VERSION", "STARTED", "DURATION", "DONE", "RUNNING"])
        for row in rows {
            let duration = row["state"] == "running" ? row["elapsed_ms"] : row["duration_ms"]
            table.append([text(row["instance"]), text(row["state"]), text(row["workflow"]), text(row["version"]),
                          time(row["started"]), milliseconds(duration), done(row), names(row["running"])])
        }
        var lines = table.lines
        let total = answer["total"]?.int64 ?? Int64(rows.count)
        if total > rows.count { lines.append("(\(rows.count) of \(total) instances shown; see --limit)") }
        if rows.isEmpty { lines.append("(no instances)") }
        return lines
    }

    /// `/instances/ID`: the status, then its activity runs.
    static func instance(_ answer: JSONValue) -> [String] {
        var head = TextTable([.left, .left])
        let running = answer["state"] == "running"
        head.append(["instance", text(answer["instance"])])
        head.append(["workflow", "\(text(answer["workflow"])) (version \(text(answer["version"])))"])
        head.append(["state", text(answer["state"])])
        head.append(["started", time(answer["started"])])
        if !running { head.append(["finished", time(answer["finished"])]) }
        head.append([running ? "elapsed" : "duration", milliseconds(running ? answer["elapsed_ms"] : answer["duration_ms"])])
        head.append(["activities", done(answer) + " done" + (running ? ", running: " + names(answer["running"]) : "")])
        if let reason = answer["reason"]?.string { head.append(["reason", reason]) }
        var table = TextTable([.left, .left, .left, .right, .right, .right, .right, .right])
        table.append(["ACTIVITY", "STATE", "RESULT", "ATTEMPTS", "DURATION", "QUEUED", "PEAK RSS", "CPU"])
        for run in answer["activities"]?.array ?? [] {
            let duration = run["state"] == "running" ? run["elapsed_ms"] : run["duration_ms"]
            table.append([text(run["activity"]), text(run["state"]), text(run["result"]),
                          text(run["attempts"] ?? run["attempt"]), milliseconds(duration), milliseconds(run["queued_ms"]),
                          bytes(run["peak_rss_bytes"]), seconds(run["cpu_seconds"])])
        }
        return head.lines + [""] + table.lines
    }

    /// The statistics columns of one summary (an `/activities` row, an `all` or a version).
    private static func statistics(_ summary: JSONValue?) -> [String] {
        [text(summary?["count"]), text(summary?["succeeded"]), text(summary?["faulted"]), text(summary?["canceled"]),
         text(summary?["skipped"]), milliseconds(summary?["p50_ms"]), milliseconds(summary?["p90_ms"]),
         milliseconds(summary?["p99_ms"]), milliseconds(summary?["max_ms"]), milliseconds(summary?["mean_ms"]),
         milliseconds(summary?["queued_mean_ms"]), bytes(summary?["peak_rss_bytes_mean"]), seconds(summary?["cpu_seconds_mean"])]
    }

    private static let statisticsHeadings = ["RUNS", "OK", "FAULTED", "CANCELED", "SKIPPED", "P50", "P90", "P99", "MAX",
                                             "MEAN", "QUEUED", "PEAK RSS", "CPU"]

    /// `/activities`: one row per workflow and activity.
    static func activities(_ answer: JSONValue) -> [String] {
        let rows = answer["activities"]?.array ?? []
        var table = TextTable([.left, .left] + Array(repeating: .right, count: 14))
        table.append(["WORKFLOW", "ACTIVITY"] + statisticsHeadings + ["VERSIONS"])
        for row in rows {
            table.append([text(row["workflow"]), text(row["activity"])] + statistics(row) + [text(row["versions"])])
        }
        return table.lines + (rows.isEmpty ? ["(no closed activity runs)"] : [])
    }

    /// `/activities/NAME`: per workflow, `all` then each version, and the histogram of `all`.
    static func activity(_ answer: JSONValue) -> [String] {
        var lines: [String] = []
        for entry in answer["workflows"]?.array ?? [] {
            if !lines.isEmpty { lines.append("") }
            lines.append("activity \(text(answer["activity"])) of workflow \(text(entry["workflow"]))")
            var table = TextTable([.left] + Array(repeating: .right, count: 13))
            table.append(["VERSION"] + statisticsHeadings)
            table.append(["all"] + statistics(entry["all"]))
            for version in entry["versions"]?.array ?? [] { table.append([text(version["version"])] + statistics(version)) }
            lines += table.lines
            lines.append("")
            lines.append("durations (all versions):")
            lines += histogram(entry["all"]?["histogram"])
        }
        return lines
    }

    /// The non-empty buckets as bars, the longest 40 characters wide.
    static func histogram(_ buckets: JSONValue?) -> [String] {
        let rows = (buckets?.array ?? []).compactMap { bucket -> (String, Int64)? in
            guard let count = bucket["count"]?.int64, count > 0 else { return nil }
            return (bucket["le"]?.int64.map { "≤ " + milliseconds(.integer($0)) } ?? "> " + milliseconds(.integer(5_000_000)), count)
        }
        let widest = rows.map(\.1).max() ?? 1
        var table = TextTable([.right, .left, .right])
        for (label, count) in rows {
            table.append(["  " + label, String(repeating: "#", count: max(1, Int(count * 40 / widest))), String(count)])
        }
        return rows.isEmpty ? ["  (none)"] : table.lines
    }

    /// `/eta/ID`: the summary, then one row per activity.
    static func eta(_ answer: JSONValue) -> [String] {
        var head = TextTable([.left, .left])
        head.append(["instance", "\(text(answer["instance"])) (workflow \(text(answer["workflow"])), version \(text(answer["version"])))"])
        head.append(["state", text(answer["state"])])
        head.append(["elapsed", milliseconds(answer["elapsed_ms"])])
        head.append(["remaining", milliseconds(answer["remaining_ms"]) + "  (finish about \(time(answer["estimated_finish"])), "
                     + "total \(milliseconds(answer["estimated_total_ms"])))"])
        let path = (answer["critical_path"]?.array ?? []).compactMap(\.string)
        head.append(["critical path", path.isEmpty ? "-" : path.joined(separator: " -> ")])
        if answer["uses_default"] == .bool(true) {
            head.append(["note", "no history for some activities: assumed \(milliseconds(answer["default_estimate_ms"])) each"])
        }
        if answer["dag_from_history"] == .bool(true) {
            head.append(["note", "activities not yet announced were taken from a past instance"])
        }
        if answer["cyclic"] == .bool(true) { head.append(["note", "a needs cycle was ignored"]) }
        var table = TextTable([.left, .left, .left, .right, .left, .right, .right, .right, .right])
        table.append(["ACTIVITY", "STATE", "NEEDS", "ESTIMATE", "SOURCE", "SAMPLES", "ELAPSED", "REMAINING", "FINISH IN"])
        for row in answer["activities"]?.array ?? [] {
            table.append([text(row["activity"]), text(row["state"]), names(row["needs"]), milliseconds(row["estimate_ms"]),
                          text(row["source"]), text(row["samples"]), milliseconds(row["elapsed_ms"]),
                          milliseconds(row["remaining_ms"]), milliseconds(row["finish_ms"])])
        }
        return head.lines + [""] + table.lines
    }

    // MARK: Cells

    /// A scalar as text; `-` for null or missing.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "-"
        case let .string(text)?: return text
        case let .integer(number)?: return String(number)
        case let .number(number)?: return String(number)
        case let .bool(flag)?: return flag ? "yes" : "no"
        case let value?: return value.text
        }
    }

    /// Milliseconds for people: `850ms`, `2.8s`, `3m05s`, `1h02m`.
    static func milliseconds(_ value: JSONValue?) -> String {
        guard let value = value?.double else { return "-" }
        let ms = value.rounded()
        if ms < 1000 { return "\(Int64(ms))ms" }
        if ms < 60_000 { return String(format: "%.1fs", ms / 1000) }
        let seconds = Int64(ms / 1000)
        if seconds < 3600 { return String(format: "%lldm%02llds", seconds / 60, seconds % 60) }
        return String(format: "%lldh%02lldm", seconds / 3600, seconds / 60 % 60)
    }

    /// Bytes in binary units: `512B`, `1.5KiB`, `12.0MiB`.
    static func bytes(_ value: JSONValue?) -> String {
        guard var amount = value?.double else { return "-" }
        if amount < 1024 { return "\(Int64(amount))B" }
        for unit in ["KiB", "MiB", "GiB"] {
            amount /= 1024
            if amount < 1024 || unit == "GiB" { return String(format: "%.1f%@", amount, unit) }
        }
        return "-"
    }

    /// CPU seconds with millisecond precision.
    static func seconds(_ value: JSONValue?) -> String {
        value?.double.map { String(format: "%.3fs", $0) } ?? "-"
    }

    /// A Unix-ms time as local `yyyy-MM-dd HH:mm:ss`.
    static func time(_ value: JSONValue?) -> String {
        guard let ms = value?.double else { return "-" }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: ms / 1000))
    }

    /// `done/total` of a status.
    private static func done(_ status: JSONValue) -> String {
        "\(text(status["activities_done"]))/\(text(status["activities_total"]))"
    }

    /// A JSON array of names, comma-separated; `-` when empty.
    private static func names(_ value: JSONValue?) -> String {
        let names = (value?.array ?? []).compactMap(\.string)
        return names.isEmpty ? "-" : names.joined(separator: ",")
    }
}
