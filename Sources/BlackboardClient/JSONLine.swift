import BlackboardCore
import BlackboardProtocol

// The JSON-lines forms the `blackboard` tool reads and prints.
//
// A delivery:
//   {"seq":1,"publisher":"urn:demo:pub","ts":1763719200123,"pairs":[["wf:A","x"],["res:CPU","12"]]}
// A value that is not valid UTF-8 appears as {"base64":"…"} in place of its string.
//
// A message to publish, one object per line, pairs in key order:
//   {"wf:A":"x","res:CPU":"12"}
// Values are strings; numbers, true and false are taken as their JSON text; a
// value {"base64":"…"} is decoded to its bytes.
//
// A profile: {"version":3,"entries":["res.>","wf:A"]}, and a change of it:
//   {"version":4,"added":["wf:B"],"removed":[]}

/// Converts deliveries, profiles and messages to and from JSON lines (no
/// trailing newline), as the `blackboard` command-line tool prints and reads them.
public enum JSONLine {
    /// A delivery as one JSON object.
    public static func encode(_ delivery: Delivery) -> String {
        var output: [UInt8] = []
        append(delivery, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends a delivery as one JSON object to `output` (no newline).
    public static func append(_ delivery: Delivery, to output: inout [UInt8]) {
        output += Array(#"{"seq":"#.utf8)
        output += Array(String(delivery.sequence).utf8)
        output += Array(#","publisher":"#.utf8)
        appendString(delivery.publisher.utf8, to: &output)
        output += Array(#","ts":"#.utf8)
        output += Array(String(delivery.timestamp).utf8)
        output += Array(#","pairs":["#.utf8)
        for (index, pair) in delivery.pairs.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "["))
            appendString(pair.concept.utf8, to: &output)
            output.append(UInt8(ascii: ","))
            appendValue(pair.value, to: &output)
            output.append(UInt8(ascii: "]"))
        }
        output += Array("]}".utf8)
    }

    /// A profile update: the whole profile for a full `PROFILE`, the change for a `DELTA`.
    public static func encode(_ update: ProfileUpdate) -> String {
        var output = Array(#"{"version":"#.utf8) + Array(String(update.version).utf8)
        if let delta = update.delta {
            output += Array(#","added":"#.utf8)
            appendEntries(delta.added, to: &output)
            output += Array(#","removed":"#.utf8)
            appendEntries(delta.removed, to: &output)
        } else {
            output += Array(#","entries":"#.utf8)
            appendEntries(update.entries, to: &output)
        }
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    /// `"…"` with JSON escapes, or `{"base64":"…"}` when `value` is not valid UTF-8.
    static func appendValue(_ value: [UInt8], to output: inout [UInt8]) {
        if String(validating: value, as: UTF8.self) != nil {
            appendString(value, to: &output)
        } else {
            output += Array(#"{"base64":""#.utf8)
            Base64.encode(value, into: &output)
            output += Array(#""}"#.utf8)
        }
    }

    /// A JSON string of valid UTF-8 `bytes`: quotes, backslashes and control
    /// bytes escaped, everything else as is.
    static func appendString(_ bytes: some Collection<UInt8>, to output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, 0x7F:
                output += Array(#"\u00"#.utf8)
                output += [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEntries(_ entries: [ProfileEntry], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, entry) in entries.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(entry.wireBytes, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
