/// Walks the fields of one line: runs of bytes separated by runs of spaces and
/// tabs. Positions are indices into the decoder's buffer, so nothing is copied.
struct LineFields {
    /// The next byte to look at.
    private(set) var position: Int
    /// One past the line's last byte (its EOL excluded).
    let end: Int

    /// The fields of `buffer[line]`.
    init(_ line: Range<Int>) {
        position = line.lowerBound
        end = line.upperBound
    }

    /// The next field, or `nil` at the end of the line.
    mutating func next(in buffer: [UInt8]) -> Range<Int>? {
        skipBlanks(in: buffer)
        guard position < end else { return nil }
        let start = position
        while position < end && !ASCII.isBlank(buffer[position]) { position += 1 }
        return start..<position
    }

    /// Everything after the next run of blanks up to the end of the line, as is
    /// (the text of `-ERR code text`).
    mutating func rest(in buffer: [UInt8]) -> Range<Int> {
        skipBlanks(in: buffer)
        defer { position = end }
        return position..<end
    }

    private mutating func skipBlanks(in buffer: [UInt8]) {
        while position < end && ASCII.isBlank(buffer[position]) { position += 1 }
    }
}
