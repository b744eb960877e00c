// Byte-level reading of the text parts of the protocol: the bytes the grammar
// names, numbers, and verbs. Nothing here allocates.

/// The bytes of the grammar and small parsers over them.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let equals = UInt8(ascii: "=")

    /// The longest number the protocol admits, in digits; every such number fits a `UInt64`.
    static let maxDigits = 19

    /// SP or HTAB: what separates arguments.
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// Printable non-space ASCII (0x21...0x7E): the bytes of an argument.
    @inline(__always)
    static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }

    /// Whether every byte of `buffer[range]` is printable non-space ASCII.
    static func isPrintable(_ buffer: [UInt8], _ range: Range<Int>) -> Bool {
        for index in range where !isPrintable(buffer[index]) { return false }
        return true
    }

    /// The number spelled by `buffer[range]`: 1...19 ASCII digits, nothing else.
    @inline(__always)
    static func number(_ buffer: [UInt8], _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty && range.count <= maxDigits else { return nil }
        var value: UInt64 = 0
        for index in range {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
        }
        return value
    }

    /// The number spelled by `bytes`, as ``number(_:_:)``.
    static func number(_ bytes: some Collection<UInt8>) -> UInt64? {
        let array = Array(bytes)
        return number(array, 0..<array.count)
    }

    /// A verb of at most 8 printable bytes, letters upper-cased, packed big-endian
    /// into an integer (`PUB` is 0x50_55_42) so that recognising a verb is one
    /// `switch` on an integer instead of string comparisons. `nil` for longer
    /// tokens or other bytes, which are never verbs.
    @inline(__always)
    static func packedVerb(_ buffer: [UInt8], _ range: Range<Int>) -> UInt64? {
        guard range.count <= 8 else { return nil }
        var packed: UInt64 = 0
        for index in range {
            var byte = buffer[index]
            guard isPrintable(byte) else { return nil }
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { byte -= 0x20 }
            packed = packed << 8 | UInt64(byte)
        }
        return packed
    }

    /// `buffer[range]` as a string, for error messages and string-typed fields;
    /// invalid UTF-8 becomes U+FFFD.
    static func string(_ buffer: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: buffer[range], as: UTF8.self)
    }

    /// At most the first 40 bytes of `buffer[range]` as a printable string, for
    /// quoting untrusted input in an error message.
    static func quoted(_ buffer: [UInt8], _ range: Range<Int>) -> String {
        let shown = range.prefix(40)
        var text = ""
        for index in shown {
            let byte = buffer[index]
            text.unicodeScalars.append(isPrintable(byte) || byte == space ? Unicode.Scalar(byte) : "?")
        }
        return "'" + text + (shown.count < range.count ? "…'" : "'")
    }
}
