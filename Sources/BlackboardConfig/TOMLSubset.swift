// The TOML subset of blackboard.conf, one construct per line:
//
//   file    = { line "\n" }
//   line    = ws [ header | pair ] ws [ comment ]
//   header  = "[" ws bare ws "]"
//   pair    = bare ws "=" ws value
//   bare    = 1*( ALPHA / DIGIT / "_" / "-" )
//   value   = basic-string / literal-string / integer / "true" / "false"
//   basic-string   = '"' { char / "\\\"" / "\\\\" / "\\n" / "\\t" } '"'
//   literal-string = "'" { char except "'" } "'"
//   integer = [ "+" / "-" ] digits, "_" only between digits, no leading zero
//   comment = "#" { any }
//
// Everything else TOML has (arrays, inline tables, floats, dates, dotted keys,
// [[array tables]], multi-line strings) is an error naming what it is. Keys
// are not checked here: ``Settings/parse(text:)`` checks them against the table.

/// One `key = value` of a file, with where it was.
public struct TOMLEntry: Sendable, Equatable {
    /// The `[section]` it sits in ("" before the first header).
    public let section: String
    /// The bare key.
    public let key: String
    /// The parsed value.
    public let value: ConfigValue
    /// Its 1-based line.
    public let line: Int
}

/// A parsed file: headers and entries in file order, and the errors of the lines that failed.
public struct TOMLDocument: Sendable {
    /// Each `[section]` header with its line, in file order.
    public private(set) var sections: [(name: String, line: Int)] = []
    /// Each well-formed `key = value`, in file order.
    public private(set) var entries: [TOMLEntry] = []
    /// One error per malformed line.
    public private(set) var errors: [ConfigError] = []

    /// Parses `text`. Never stops early: every line is looked at. Cost O(bytes).
    public init(parsing text: String) {
        var section = ""
        // Split bytes, not Characters: "\r\n" is one Character and would not split on "\n".
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var cursor = LineCursor(bytes: Array(line), number: index + 1)
            do {
                switch try cursor.parseLine() {
                case .blank: break
                case let .header(name):
                    section = name
                    sections.append((name, index + 1))
                case let .pair(key, value):
                    entries.append(TOMLEntry(section: section, key: key, value: value, line: index + 1))
                }
            } catch {
                errors.append(error)
            }
        }
    }
}

/// What one line holds.
private enum ParsedLine {
    case blank
    case header(String)
    case pair(String, ConfigValue)
}

/// A position in one line's bytes.
private struct LineCursor {
    let bytes: [UInt8]
    let number: Int
    var index = 0
    /// The key of the pair being parsed, for errors.
    var key: String?

    init(bytes: [UInt8], number: Int) {
        self.bytes = bytes.last == UInt8(ascii: "\r") ? Array(bytes.dropLast()) : bytes
        self.number = number
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func error(_ problem: ConfigError.Problem) -> ConfigError {
        ConfigError(line: number, key: key, problem)
    }

    mutating func skipSpaces() {
        while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    mutating func parseLine() throws(ConfigError) -> ParsedLine {
        skipSpaces()
        guard let first = current, first != UInt8(ascii: "#") else { return .blank }
        let result: ParsedLine
        if first == UInt8(ascii: "[") {
            index += 1
            if current == UInt8(ascii: "[") { throw error(.unsupported("[[array tables]]")) }
            skipSpaces()
            let name = bare()
            skipSpaces()
            guard !name.isEmpty, current == UInt8(ascii: "]") else {
                throw error(.syntax(current == UInt8(ascii: ".") ? "dotted section names are not supported"
                                                                 : "expected [name] with a bare name"))
            }
            index += 1
            result = .header(name)
        } else {
            let name = bare()
            guard !name.isEmpty else { throw error(.syntax("expected a bare key (letters, digits, _ and -)")) }
            key = name
            skipSpaces()
            if current == UInt8(ascii: ".") { throw error(.unsupported("dotted keys")) }
            guard current == UInt8(ascii: "=") else { throw error(.syntax("expected = after the key")) }
            index += 1
            skipSpaces()
            result = .pair(name, try value())
        }
        skipSpaces()
        if let byte = current, byte != UInt8(ascii: "#") { throw error(.trailingText) }
        return result
    }

    mutating func bare() -> String {
        let start = index
        while let byte = current, isBare(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    func isBare(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"): return true
        default: return false
        }
    }

    mutating func value() throws(ConfigError) -> ConfigValue {
        guard let first = current else { throw error(.syntax("expected a value after =")) }
        switch first {
        case UInt8(ascii: "\""): return .string(try basicString())
        case UInt8(ascii: "'"): return .string(try literalString())
        case UInt8(ascii: "["): throw error(.unsupported("arrays"))
        case UInt8(ascii: "{"): throw error(.unsupported("inline tables"))
        default: break
        }
        let start = index
        while let byte = current, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "#") {
            index += 1
        }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        switch word {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf", "-inf", "nan", "+nan", "-nan": throw error(.unsupported("floats"))
        default: return .integer(try integer(word))
        }
    }

    func integer(_ word: String) throws(ConfigError) -> Int {
        var digits = Substring(word)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        if digits.hasPrefix("0x") || digits.hasPrefix("0o") || digits.hasPrefix("0b") {
            throw error(.unsupported("hexadecimal, octal and binary integers"))
        }
        if digits.contains(where: isDigit), digits.contains(where: { $0 == "-" || $0 == ":" }) {
            throw error(.unsupported("dates and times"))
        }
        if digits.contains(where: isDigit), digits.allSatisfy({ isDigit($0) || "_.eE+-".contains($0) }),
           digits.contains(where: { ".eE".contains($0) }) {
            throw error(.unsupported("floats"))
        }
        let wellFormed = !digits.isEmpty && digits.allSatisfy { isDigit($0) || $0 == "_" }
            && isDigit(digits.first!) && isDigit(digits.last!) && !digits.contains("__")
            && !(digits.count > 1 && digits.first == "0")
        guard wellFormed else {
            throw error(.syntax("expected a string, an integer, true or false, found \(word)"))
        }
        var result = 0
        for character in digits where character != "_" {
            let digit = Int(character.asciiValue! - UInt8(ascii: "0"))
            let (shifted, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(negative ? -digit : digit)
            if overflow1 || overflow2 { throw error(.integerOverflow) }
            result = next
        }
        return result
    }

    mutating func basicString() throws(ConfigError) -> String {
        index += 1
        var out: [UInt8] = []
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = current else { throw error(.unterminatedString) }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): out.append(escaped)
                case UInt8(ascii: "\\"): out.append(escaped)
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                default: throw error(.badEscape(String(decoding: [escaped], as: UTF8.self)))
                }
            default: out.append(byte)
            }
        }
        throw error(.unterminatedString)
    }

    mutating func literalString() throws(ConfigError) -> String {
        index += 1
        let start = index
        while let byte = current {
            index += 1
            if byte == UInt8(ascii: "'") { return String(decoding: bytes[start..<(index - 1)], as: UTF8.self) }
        }
        throw error(.unterminatedString)
    }
}
