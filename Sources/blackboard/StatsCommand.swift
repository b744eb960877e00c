import ArgumentParser
import Foundation

/// `blackboard stats`: the broker's `/stats` as a table, or as JSON.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show the broker's counters and state from its admin port.",
        discussion: """
            Reads /stats from the admin port (docs/OPERATIONS.md, "Admin port", explains every field) \
            and prints it in groups, one field per line. Protocol errors are listed when not zero. \
            With --json, prints the JSON as the broker sent it.
            """
    )

    @OptionGroup var admin: AdminOptions

    @Flag(help: "Print the JSON object of /stats as the broker sent it.")
    var json = false

    /// The groups of the table, their fields in order (`storage.x` is a key of the `storage` object).
    /// Fields the broker sends that no group names are shown under "Other", so none is hidden.
    static let groups: [(title: String, keys: [String])] = [
        ("Broker", ["version", "uptime_seconds"]),
        ("Connections", ["connections_open", "connections_accepted", "connections_rejected",
                         "slow_consumer_disconnects", "stale_disconnects", "handshake_timeouts", "auth_failures"]),
        ("Registrations", ["subscribers", "subscribers_connected", "subscribers_disconnected", "publishers",
                           "publishers_connected", "publishers_disconnected", "profile_entries", "profile_version",
                           "profile_pushes"]),
        ("Leases", ["leases_expired", "leases_resumed"]),
        ("Traffic", ["messages_in", "pairs_in", "pairs_filtered", "deliveries", "pairs_out", "deliveries_missed",
                     "bytes_in", "bytes_out"]),
        ("Persistence", ["storage.persistence", "storage.directory", "storage.fsync", "storage.error",
                         "storage.journal_generation", "journal_records", "journal_bytes", "fsyncs", "snapshots",
                         "persistence_errors", "restored_subscribers", "restored_publishers", "persistence_enabled",
                         "storage_healthy"]),
    ]

    func run() throws {
        try ExitStatus.guarding {
            let client = admin.client()
            if json {
                Terminal.write(try client.get("/stats"))
                return
            }
            for line in Self.table(try client.object("/stats")) { Terminal.writeLine(line) }
        }
    }

    /// The stats as grouped lines: a title, then `  key  value` rows.
    static func table(_ stats: [String: Any]) -> [String] {
        var fields: [String: String] = [:]
        for (key, value) in stats where key != "protocol_errors" {
            if let object = value as? [String: Any] {
                for (inner, value) in object { fields[key + "." + inner] = JSONText.scalar(value) }
            } else {
                fields[key] = JSONText.scalar(value)
            }
        }
        var table = TextTable([.left, .left])
        func section(_ title: String, _ rows: [(String, String)]) {
            guard !rows.isEmpty else { return }
            table.append([title])
            for (key, value) in rows { table.append(["  " + key, value]) }
        }
        for (title, keys) in groups {
            section(title, keys.compactMap { key in fields.removeValue(forKey: key).map { (key, annotated(key, $0)) } })
        }
        section("Other", fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let errors = (stats["protocol_errors"] as? [String: Any] ?? [:])
            .compactMap { code, count in JSONText.scalar(count) == "0" ? nil : (code, JSONText.scalar(count)) }
            .sorted { $0.0 < $1.0 }
        if errors.isEmpty {
            table.append(["Protocol errors"])
            table.append(["  (none)"])
        } else {
            section("Protocol errors", errors)
        }
        return table.lines
    }

    /// A value with a reading aid: `uptime_seconds` also as days, hours, minutes and seconds.
    private static func annotated(_ key: String, _ value: String) -> String {
        guard key == "uptime_seconds", let seconds = Int(value), seconds >= 60 else { return value }
        let (days, hours, minutes) = (seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60)
        let parts = (days > 0 ? "\(days)d " : "") + (days > 0 || hours > 0 ? "\(hours)h " : "") + "\(minutes)m \(seconds % 60)s"
        return "\(value) (\(parts))"
    }
}
