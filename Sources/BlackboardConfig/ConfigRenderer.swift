/// The texts generated from the key table: the shipped config file and the
/// key reference of docs/CONFIGURATION.md. A test compares both with the
/// committed files, so they cannot drift from the table.
public enum ConfigRenderer {
    /// The full config file: every key at its default, with its doc, type,
    /// range and whether SIGHUP reloads it. Parses back to ``Settings/defaults``.
    public static func renderConfigFile() -> String {
        var lines = [
            "# blackboard.conf: the configuration of blackboardd, every key at its default.",
            "#",
            "# Generated from the key table (Sources/BlackboardConfig/ConfigKey+Table.swift);",
            "# regenerate with `blackboardd --print-default-config > config/blackboard.conf`.",
            "# Format (docs/CONFIGURATION.md): a TOML subset of [sections], `key = value`,",
            "# \"strings\", integers (`_` allowed between digits) and # comments. Sizes are",
            "# bytes and durations milliseconds unless the key name ends in _seconds.",
            "# Flags given to blackboardd override this file. SIGHUP re-reads it and applies",
            "# the keys marked \"reloadable\"; the others need a restart.",
        ]
        for section in ConfigKey.sections {
            lines += ["", "[\(section)]"]
            for key in ConfigKey.all where key.section == section {
                lines += [
                    "",
                    "# \(key.doc)",
                    "# \(summary(of: key)); \(key.reloadable ? "reloadable" : "restart")",
                    "\(key.name) = \(written(key.defaultValue, key.kind))",
                ]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The key reference: one Markdown table per section.
    public static func renderMarkdownReference() -> String {
        var lines: [String] = []
        for section in ConfigKey.sections {
            if !lines.isEmpty { lines.append("") }
            lines += [
                "### `[\(section)]`",
                "",
                "| key | type | default | SIGHUP | meaning |",
                "|---|---|---|---|---|",
            ]
            for key in ConfigKey.all where key.section == section {
                let cells = [
                    "`\(key.name)`", summary(of: key), "`\(written(key.defaultValue, key.kind))`",
                    key.reloadable ? "reloadable" : "restart", key.doc,
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The type and range of a key, such as `bytes, 64 to 16_777_216`.
    static func summary(of key: ConfigKey) -> String {
        switch key.kind {
        case .string: return "string"
        case .boolean: return "boolean"
        case let .choice(allowed): return "one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        case let .integer(range, unit):
            let bounds = "\(grouped(range.lowerBound, unit)) to \(grouped(range.upperBound, unit))"
            return unit == .count ? "integer, \(bounds)" : "\(unit.rawValue), \(bounds)"
        }
    }

    /// A value as the file writes it; integers grouped by `_` from 10_000 on.
    static func written(_ value: ConfigValue, _ kind: ConfigKey.Kind) -> String {
        if case let .integer(number) = value, case let .integer(_, unit) = kind {
            return grouped(number, unit)
        }
        return value.description
    }

    static func grouped(_ number: Int, _ unit: ConfigKey.Unit) -> String {
        let digits = String(number.magnitude)
        guard unit != .port, digits.count > 4 else { return String(number) }
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append("_") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }
}
