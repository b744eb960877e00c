// A small JSON writer for event values and fingerprints, so that their bytes are
// fixed by this file alone (Foundation's serializers differ between platforms and
// versions in key order, escaping and number formatting).
//
// - Objects keep the order their fields were given in.
// - Strings escape `"` and `\`, write \b \f \n \r \t for those controls and \u00XX for
//   the other bytes below 0x20; everything else, non-ASCII included, is written as UTF-8.
// - Integers are written in decimal. Doubles are written in plain decimal notation (never
//   an exponent), rounded to 6 fractional digits with trailing zeros dropped: 12.5, 0.000001,
//   3 (not 3.0); -0 is 0; NaN, infinities and magnitudes of 9e18 or more are null.
// - No whitespace between tokens.

/// A JSON value with ordered object fields, rendered compactly.
enum JSONValue: Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    /// A string, or null for nil.
    static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// An integer, or null for nil.
    static func int<T: BinaryInteger>(_ value: T?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
    /// An array of strings.
    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
    /// An object of strings, keys sorted (for maps whose order means nothing, like params).
    static func sortedObject(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { ($0, .string(map[$0]!)) })
    }

    /// The compact UTF-8 rendering.
    func rendered() -> [UInt8] {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return bytes
    }

    /// Appends the compact rendering to `bytes`.
    func write(into bytes: inout [UInt8]) {
        switch self {
        case let .string(text): Self.writeString(text, into: &bytes)
        case let .int(number): bytes += String(number).utf8
        case let .double(number): bytes += Self.decimal(number).utf8
        case let .bool(flag): bytes += (flag ? "true" : "false").utf8
        case .null: bytes += "null".utf8
        case let .array(items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                item.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case let .object(fields):
            bytes.append(UInt8(ascii: "{"))
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.writeString(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20: bytes += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `number` in plain decimal notation, at most 6 fractional digits.
    static func decimal(_ number: Double) -> String {
        let magnitude = number.magnitude
        guard number.isFinite, magnitude < 9e18 else { return "null" }
        var whole = Int64(magnitude.rounded(.down))
        var fraction = Int64(((magnitude - Double(whole)) * 1_000_000).rounded())
        if fraction == 1_000_000 { (whole, fraction) = (whole + 1, 0) }
        var text = String(whole)
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return number < 0 && text != "0" ? "-" + text : text
    }
}
