import BlackboardProtocol

// Reading one message from a JSON line: a flat object whose keys are concepts,
// kept in the order they appear (a dictionary would lose it). The grammar is
// RFC 8259's, restricted to what a message can be:
//
//   line   = ws object ws
//   object = "{" ws [ member *( ws "," ws member ) ] ws "}"
//   member = string ws ":" ws value
//   value  = string / number / "true" / "false" / "{" ws "\"base64\"" ws ":" ws string ws "}"

extension JSONLine {
    /// The pairs of one JSON object, in key order; duplicate keys are kept.
    public static func pairs(from line: String) throws(JSONLineError) -> [Pair] {
        var parser = PairParser(bytes: Array(line.utf8))
        return try parser.parseLine()
    }
}

private struct PairParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseLine() throws(JSONLineError) -> [Pair] {
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "a message is a JSON object: expected '{'")
        var pairs: [Pair] = []
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw failure("expected a concept in double quotes") }
                let concept = String(decoding: try parseString(), as: UTF8.self)
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after the concept")
                skipWhitespace()
                pairs.append(Pair(concept, try parseValue(of: concept)))
                skipWhitespace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"), "expected ',' or '}'")
                break
            }
        }
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected text after the object") }
        return pairs
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func failure(_ reason: String) -> JSONLineError {
        JSONLineError(offset: index, reason: reason)
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws(JSONLineError) {
        guard peek == byte else { throw failure(reason) }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func parseValue(of concept: String) throws(JSONLineError) -> [UInt8] {
        switch peek ?? 0 {
        case UInt8(ascii: "\""):
            return try parseString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            for word in ["true", "false"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return Array(word.utf8)
            }
        case UInt8(ascii: "{"):
            return try parseBase64()
        default:
            break
        }
        throw failure("the value of '\(concept)' must be a string, a number, true, false or {\"base64\":…}")
    }

    private mutating func parseBase64() throws(JSONLineError) -> [UInt8] {
        index += 1
        skipWhitespace()
        let keyOffset = index
        guard peek == UInt8(ascii: "\""), try parseString() == Array("base64".utf8) else {
            throw JSONLineError(offset: keyOffset, reason: "an object value must be {\"base64\":\"…\"}")
        }
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "expected ':' after \"base64\"")
        skipWhitespace()
        let textOffset = index
        guard peek == UInt8(ascii: "\"") else { throw failure("expected the Base64 text in double quotes") }
        guard let decoded = Base64.decode(try parseString()) else {
            throw JSONLineError(offset: textOffset, reason: "invalid Base64")
        }
        skipWhitespace()
        try expect(UInt8(ascii: "}"), "expected '}' after the Base64 text")
        return decoded
    }

    private mutating func parseNumber() throws(JSONLineError) -> [UInt8] {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        guard try digits() > 0 else { throw failure("invalid number") }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard try digits() > 0 else { throw failure("invalid number") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard try digits() > 0 else { throw failure("invalid number") }
        }
        return Array(bytes[start..<index])
    }

    private mutating func digits() throws(JSONLineError) -> Int {
        let start = index
        while let byte = peek, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    /// A string's UTF-8 bytes, escapes resolved; `index` is at the opening quote.
    private mutating func parseString() throws(JSONLineError) -> [UInt8] {
        index += 1
        var output: [UInt8] = []
        while true {
            guard let byte = peek else { throw failure("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return output
            case UInt8(ascii: "\\"):
                try parseEscape(into: &output)
            case 0..<0x20:
                throw JSONLineError(offset: index - 1, reason: "control character in a string (escape it)")
            default:
                output.append(byte)
            }
        }
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONLineError) {
        guard let escaped = peek else { throw failure("unterminated escape") }
        index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard bytes[index...].starts(with: Array(#"\u"#.utf8)) else { throw failure("lone surrogate") }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("lone surrogate")
            }
            output += Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw JSONLineError(offset: index - 1, reason: "unknown escape '\\\(Unicode.Scalar(escaped))'")
        }
    }

    private mutating func parseHex4() throws(JSONLineError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("\\u needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
