/// One line of an activity's track file (`$BLACKBOARD_TRACK`).
public enum TrackLine: Equatable, Sendable {
    /// A complete line, without its `\n` (invalid UTF-8 is replaced with U+FFFD).
    case line(String)
    /// A line longer than the limit, skipped whole; its length in bytes, without the `\n`.
    case oversized(byteCount: Int)
}

/// Splits bytes into lines, fed in pieces of any size: the single-step part of
/// ``TrackFileReader``, with no I/O. A line longer than `limit` bytes is not
/// buffered: its bytes are counted and dropped up to its newline, and it comes out
/// as `.oversized`, so memory stays bounded by `limit` whatever the file holds.
struct TrackLineSplitter: Sendable {
    let limit: Int
    /// The bytes of the unterminated line so far (never more than `limit`).
    private var partial: [UInt8] = []
    /// The length so far of an oversized line being skipped, if one is.
    private var skipped: Int?

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Feeds `bytes`; returns the lines they complete.
    mutating func append(_ bytes: some Collection<UInt8>) -> [TrackLine] {
        var lines: [TrackLine] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
            let piece = rest[..<(newline ?? rest.endIndex)]
            if let count = skipped {
                skipped = count + piece.count
            } else if partial.count + piece.count > limit {
                skipped = partial.count + piece.count
                partial.removeAll(keepingCapacity: false)
            } else {
                partial.append(contentsOf: piece)
            }
            guard let newline else { break }
            lines.append(takeLine())
            rest = rest[rest.index(after: newline)...]
        }
        return lines
    }

    /// Ends the input: an unterminated last line is returned as a line of its own.
    mutating func finish() -> [TrackLine] {
        guard skipped != nil || !partial.isEmpty else { return [] }
        return [takeLine()]
    }

    /// Forgets an unterminated line (the file was truncated under it).
    mutating func reset() {
        partial = []
        skipped = nil
    }

    private mutating func takeLine() -> TrackLine {
        defer { reset() }
        if let skipped { return .oversized(byteCount: skipped) }
        return .line(String(decoding: partial, as: UTF8.self))
    }
}
