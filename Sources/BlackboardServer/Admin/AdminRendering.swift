/// The admin port's bodies, rendered by hand (no Foundation): JSON for
/// `/stats`, `/healthz` and errors, Prometheus text (format 0.0.4) for `/metrics`;
/// the listings are in AdminRendering+Listings.swift.
public enum AdminRendering {
    /// `text` as a JSON string literal, quotes included.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `text` as a JSON string literal, or `null`.
    public static func jsonString(_ text: String?) -> String {
        text.map { jsonString($0) } ?? "null"
    }

    /// `value` as a JSON number, or `null`.
    public static func jsonNumber(_ value: (some BinaryInteger)?) -> String {
        value.map { String($0) } ?? "null"
    }

    /// `{"error":message}`.
    public static func errorJSON(_ message: String) -> String {
        "{\"error\":\(jsonString(message))}\n"
    }

    /// `/healthz`: `{"status":"ok"}`, or `{"status":"storage_failed","error":…}`.
    public static func healthJSON(storageFailure: String?) -> String {
        guard let storageFailure else { return "{\"status\":\"ok\"}\n" }
        return "{\"status\":\"storage_failed\",\"error\":\(jsonString(storageFailure))}\n"
    }

    /// The `/stats` object: `version`, every field by key, the `storage` object,
    /// and `protocol_errors` by code.
    public static func statsJSON(_ snapshot: AdminSnapshot) -> String {
        var parts = ["\"version\":" + jsonString(snapshot.version)]
        for field in snapshot.fields {
            parts.append(jsonString(field.key) + ":" + String(field.value))
        }
        let storage = snapshot.storage
        parts.append("\"storage\":{\"persistence\":\(jsonString(snapshot.persistence)),"
            + "\"directory\":\(jsonString(storage?.directory)),\"fsync\":\(jsonString(storage?.fsync)),"
            + "\"journal_generation\":\(jsonNumber(storage?.journalGeneration)),\"error\":\(jsonString(storage?.failure))}")
        let errors = snapshot.protocolErrors.map { jsonString($0.code) + ":" + String($0.count) }
        parts.append("\"protocol_errors\":{" + errors.joined(separator: ",") + "}")
        return "{" + parts.joined(separator: ",") + "}\n"
    }

    /// A Prometheus label value, escaped (backslash, quote, newline).
    public static func labelValue(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// The `/metrics` exposition: `# HELP` and `# TYPE` before each metric's samples.
    public static func metrics(_ snapshot: AdminSnapshot) -> String {
        var out = ""
        func header(_ name: String, _ kind: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(kind)\n"
        }
        header("blackboard_info", "gauge", "Always 1; the version label is the broker's software version.")
        out += "blackboard_info{version=\"\(labelValue(snapshot.version))\"} 1\n"
        for field in snapshot.fields {
            header(field.metric, field.kind.rawValue, field.help)
            out += "\(field.metric) \(field.value)\n"
        }
        header("blackboard_protocol_errors_total", "counter", "Protocol errors answered, by error code.")
        for (code, count) in snapshot.protocolErrors {
            out += "blackboard_protocol_errors_total{code=\"\(labelValue(code))\"} \(count)\n"
        }
        return out
    }
}
