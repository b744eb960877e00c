// A strict reader of one JSON text (RFC 8259), for track-file lines. Unlike
// JSONSerialization it keeps the order of object keys, sees duplicate keys, keeps the
// exact text of numbers, literals and nested values (a user value is published as
// written), and says at which byte it stopped.
//
// Nesting is limited to `maxDepth` levels; strings must be valid UTF-8, with the JSON
// escapes (\" \\ \/ \b \f \n \r \t \uXXXX, surrogate pairs joined; a lone surrogate is
// an error).

/// Reads one JSON value from bytes.
struct JSONReader {
    /// A value with its source text.
    indirect enum Value {
        /// A string, unescaped.
        case string(String)
        /// A number, `true`, `false` or `null`, as written.
        case scalar(String)
        /// An array and its text as written.
        case array([Value], text: String)
        /// An object (keys in order, duplicates kept) and its text as written.
        case object([(key: String, value: Value)], text: String)

        /// The text a user value publishes: a string's contents, anything else as written.
        var publishedText: String {
            switch self {
            case let .string(text), let .scalar(text), let .array(_, text), let .object(_, text): return text
            }
        }
    }

    /// Why the text is not JSON: a message and the 0-based byte offset it applies to.
    struct Failure: Error, Equatable {
        let message: String
        let offset: Int
    }

    static let maxDepth = 32

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The one value `bytes` holds (whitespace around it allowed, nothing else).
    static func parse(_ bytes: [UInt8]) throws(Failure) -> Value {
        var reader = JSONReader(bytes)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw reader.failure("unexpected text after the value") }
        return value
    }

    private func failure(_ message: String) -> Failure { Failure(message: message, offset: index) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard current == byte else { throw failure(current == nil ? "the line ends where \(what) was expected" : "expected \(what)") }
        index += 1
    }

    private func text(from start: Int) -> String { String(decoding: bytes[start..<index], as: UTF8.self) }

    private mutating func value(depth: Int) throws(Failure) -> Value {
        guard depth < Self.maxDepth else { throw failure("nested more than \(Self.maxDepth) levels") }
        let start = index
        switch current {
        case UInt8(ascii: "{"):
            index += 1
            var fields: [(key: String, value: Value)] = []
            skipSpace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object([], text: text(from: start))
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a key in double quotes") }
                let key = try string()
                skipSpace()
                try expect(UInt8(ascii: ":"), "':' after the key")
                skipSpace()
                fields.append((key, try value(depth: depth + 1)))
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                return .object(fields, text: text(from: start))
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [Value] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array([], text: text(from: start))
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                return .array(items, text: text(from: start))
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for literal in ["true", "false", "null"] where bytes[index...].starts(with: literal.utf8) {
                index += literal.utf8.count
                return .scalar(literal)
            }
            throw failure("expected a value")
        case .some(UInt8(ascii: "-")), .some(UInt8(ascii: "0")...UInt8(ascii: "9")):
            try number()
            return .scalar(text(from: start))
        case nil:
            throw failure("the line ends where a value was expected")
        default:
            throw failure("expected a value")
        }
    }

    private mutating func digits() throws(Failure) {
        guard let byte = current, byte >= 0x30, byte <= 0x39 else { throw failure("expected a digit") }
        while let byte = current, byte >= 0x30, byte <= 0x39 { index += 1 }
    }

    private mutating func number() throws(Failure) {
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") { index += 1 } else { try digits() }
        if current == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1  // the opening quote
        var scalars: [UInt8] = []
        while true {
            guard let byte = current else { throw failure("the line ends inside a string") }
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scalars, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                index += 1
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &scalars)
            case 0x00..<0x20:
                throw failure("a control character must be escaped in a string")
            default:
                scalars.append(byte)
                index += 1
            }
        }
    }

    private mutating func escape(into output: inout [UInt8]) throws(Failure) {
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        guard let byte = current else { throw failure("the line ends inside an escape") }
        if let replacement = simple[byte] {
            output.append(replacement)
            index += 1
            return
        }
        guard byte == UInt8(ascii: "u") else { throw failure("unknown escape") }
        index += 1
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
            guard bytes[index...].starts(with: "\\u".utf8) else { throw failure("a high surrogate must be followed by a low one") }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate must be followed by a low one") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("a lone low surrogate") }
        output += Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else {
                throw failure("\\u needs four hex digits")
            }
            code = code << 4 | digit
            index += 1
        }
        return code
    }
}
