import Foundation

/// How the admin commands print JSON values they decoded with Foundation.
enum JSONText {
    /// A scalar as text: strings as they are, numbers in full, `-` for null
    /// (the admin port sends no booleans).
    static func scalar(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return "-"
        case let string as String: return string
        case let number as NSNumber: return number.stringValue
        default: return "\(value!)"
        }
    }

    /// An integer field, if it is one.
    static func integer(_ value: Any?) -> Int64? {
        (value as? NSNumber)?.int64Value
    }

    /// `object` as compact JSON with sorted keys, and a newline.
    static func encode(_ object: Any) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("null".utf8)
        return Array(data) + [0x0A]
    }
}
