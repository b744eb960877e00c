// The query string of a request to the admin port or the monitor, as their endpoints read it.
//
//   query     = [ parameter *( "&" parameter ) ]
//   parameter = name [ "=" value ]        ; no "=": the value is empty
//   name, value: any bytes but "&" (and "=" in a name), with "%" HEX HEX standing for one byte
//
// - Each name and value is percent-decoded (RFC 3986 §2.1) and must then be
//   UTF-8. A "%" not followed by two hex digits is an error, not a literal.
// - "+" is a plus sign, not a space: URIs and concepts never hold a space, and
//   some hold "+". Encode a space as "%20".
// - Empty parameters (`a=1&&b=2`, a trailing `&`) are skipped.
// - The request-line parser has already refused bytes outside 0x21...0x7E.

/// Why a query string was refused; answered `400` with a message that names the
/// offending part (AdminResponder.swift maps each case to its text).
public enum QueryError: Error, Equatable, Sendable {
    /// A `%` not followed by two hex digits, in this (raw) name or value.
    case badEscape(String)
    /// This (raw) name or value decodes to bytes that are not UTF-8.
    case notUTF8(String)
    /// A parameter the endpoint does not take.
    case unknownParameter(String)
    /// A parameter given twice.
    case repeatedParameter(String)
    /// A `limit` that is not a whole number in 1...``PageRequest/maxLimit``.
    case badLimit(String)
}

/// One decoded `name=value` of a query string.
public struct QueryParameter: Equatable, Sendable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Splits and percent-decodes a query string (grammar at the top of the file). Pure.
public enum HTTPQuery {
    /// The parameters of `query` in the order given; nil or empty: none.
    public static func parse(_ query: String?) throws(QueryError) -> [QueryParameter] {
        guard let query else { return [] }
        var parameters: [QueryParameter] = []
        for part in Array(query.utf8).split(separator: UInt8(ascii: "&")) {
            let equals = part.firstIndex(of: UInt8(ascii: "="))
            let name = try decode(equals.map { part[..<$0] } ?? part[...])
            let value = if let equals { try decode(part[(equals + 1)...]) } else { "" }
            parameters.append(QueryParameter(name, value))
        }
        return parameters
    }

    /// `text` with every `%XX` replaced by its byte, checked to be UTF-8.
    public static func decode(_ text: ArraySlice<UInt8>) throws(QueryError) -> String {
        let raw = { String(decoding: text, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index = text.index(after: index)
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard index < text.endIndex, let high = hexValue(text[index]) else { throw .badEscape(raw()) }
            let next = text.index(after: index)
            guard next < text.endIndex, let low = hexValue(text[next]) else { throw .badEscape(raw()) }
            bytes.append(high << 4 | low)
            index = text.index(after: next)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(raw()) }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
