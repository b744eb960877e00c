import BlackboardCore

// Appending wire syntax to an output buffer, without intermediate strings.

extension Array where Element == UInt8 {
    /// Makes room for `additional` more bytes, growing geometrically: repeated
    /// exact `reserveCapacity` calls on a growing buffer would copy it each time.
    @inline(__always)
    mutating func reserve(additional: Int) {
        let needed = count + additional
        if needed > capacity { reserveCapacity(Swift.max(needed, capacity * 2)) }
    }

    /// Appends the bytes of a literal.
    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8 bytes.
    @inline(__always)
    mutating func appendUTF8(_ text: String) {
        append(contentsOf: text.utf8)
    }

    /// Appends CR LF.
    @inline(__always)
    mutating func appendEOL() {
        append(ASCII.cr)
        append(ASCII.lf)
    }

    /// Appends `value` in decimal: digits are produced in a stack buffer, so
    /// no string or heap memory is involved.
    @inline(__always)
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        Swift.withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest != 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `value` in decimal; `value` must not be negative.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        appendDecimal(UInt64(value))
    }

    /// The most bytes a record adds beyond its concept and value: ` nbytes CRLF`
    /// (a space, up to 20 digits) and the value's CRLF.
    static var recordOverhead: Int { 1 + 20 + 2 + 2 }

    /// Appends the rest of a record after its concept: ` nbytes CRLF value CRLF`.
    @inline(__always)
    mutating func appendRecordTail(_ value: some Collection<UInt8>) {
        append(ASCII.space)
        appendDecimal(value.count)
        appendEOL()
        append(contentsOf: value)
        appendEOL()
    }

    /// Appends one line per entry: `entry CRLF`.
    mutating func appendEntryLines(_ entries: some Collection<ProfileEntry>) {
        for entry in entries {
            append(entry)
            appendEOL()
        }
    }

    /// Appends the wire form of `entry` (`concept`, `prefix.>` or `>`).
    mutating func append(_ entry: ProfileEntry) {
        switch entry.kind {
        case .exact: append(contentsOf: entry.bytes)
        case .below:
            append(contentsOf: entry.bytes)
            append(".>")
        case .all: append(">")
        }
    }

    /// Appends `text` with every control byte replaced by a space, so that it
    /// cannot break the line it is written into.
    mutating func appendSingleLine(_ text: String) {
        for byte in text.utf8 { append(byte < 0x20 || byte == 0x7F ? ASCII.space : byte) }
    }
}
