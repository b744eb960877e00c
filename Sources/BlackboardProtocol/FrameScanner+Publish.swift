import BlackboardCore

// The fast path for the frame that dominates traffic: a whole `PUB` frame in
// canonical form, decoded in one pass over raw memory.
//
// Canonical means `PUB n EOL` then n records `concept SP nbytes EOL value EOL`,
// with single spaces, no surrounding blanks, a valid concept, every limit
// respected and the whole frame buffered. Anything else (a split frame, odd
// spacing, any error) is left untouched for the general, incremental path,
// which produces the same result on canonical input and the specified error on
// everything else; so this path changes speed, never behaviour.

extension FrameScanner {
    /// Decodes a whole canonical `PUB` frame starting at the cursor into `pairs`
    /// and consumes it.
    /// - Returns: whether it did; `false` leaves the scanner as it was.
    mutating func decodeCanonicalPublish() -> Bool {
        guard !isInFrame, failure == nil, deferred == nil, buffer.count - cursor >= 12 else { return false }
        var spans: [PairSpan] = []
        swap(&spans, &pairs)
        if spans.capacity > Self.retainedPairCapacity { spans = [] }
        let limits = self.limits
        var count = 0
        let end = buffer.withUnsafeBufferPointer { bytes in
            Self.canonicalPublish(bytes, from: cursor, limits: limits, into: &spans, count: &count)
        }
        // The spans of the last frame were overwritten in place; drop any left over.
        if count < spans.count { spans.removeLast(spans.count - count) }
        swap(&spans, &pairs)
        guard let end else { return false }
        frameStart = end
        cursor = end
        scanPosition = end
        return true
    }

    /// Parses the frame at `start` into `spans[0..<count]` (overwriting, then
    /// appending: a steady stream of one-pair frames reuses one element);
    /// returns the index after the frame, or nil.
    private static func canonicalPublish(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limits: Limits, into spans: inout [PairSpan],
        count used: inout Int
    ) -> Int? {
        let end = bytes.count
        var index = start
        // `PUB ` in any case: x | 0x20 maps exactly the two cases of a letter together.
        guard bytes[index] | 0x20 == 0x70, bytes[index + 1] | 0x20 == 0x75, bytes[index + 2] | 0x20 == 0x62,
              bytes[index + 3] == ASCII.space
        else { return nil }
        index += 4
        guard let count = number(bytes, &index, end), count >= 1, count <= UInt64(limits.maxPairs),
              eol(bytes, &index, end), index - start <= limits.maxLineBytes
        else { return nil }
        var messageBytes = 0
        for _ in 0..<Int(count) {
            let lineStart = index
            while index < end && bytes[index] > ASCII.space && bytes[index] < 0x7F { index += 1 }
            let concept = lineStart..<index
            guard index < end, bytes[index] == ASCII.space, !concept.isEmpty,
                  concept.count <= limits.maxConceptBytes, !looksLikeEntry(bytes, concept)
            else { return nil }
            index += 1
            guard let length = number(bytes, &index, end), length <= UInt64(limits.maxValueBytes),
                  eol(bytes, &index, end), index - lineStart <= limits.maxLineBytes
            else { return nil }
            let value = index..<index + Int(length)
            messageBytes += concept.count + value.count
            guard messageBytes <= limits.maxMessageBytes, value.upperBound <= end else { return nil }
            index = value.upperBound
            guard eol(bytes, &index, end) else { return nil }
            let span = PairSpan(concept: concept, value: value)
            if used < spans.count { spans[used] = span } else { spans.append(span) }
            used += 1
        }
        return index
    }

    /// 1 to 19 decimal digits at `index`, advancing past them.
    @inline(__always)
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ end: Int) -> UInt64? {
        let first = index
        var value: UInt64 = 0
        while index < end, index - first < ASCII.maxDigits {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            index += 1
        }
        return index > first ? value : nil
    }

    /// LF or CR LF at `index`, advancing past it.
    @inline(__always)
    private static func eol(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ end: Int) -> Bool {
        guard index < end else { return false }
        if bytes[index] == ASCII.lf {
            index += 1
            return true
        }
        guard bytes[index] == ASCII.cr, index + 1 < end, bytes[index + 1] == ASCII.lf else { return false }
        index += 2
        return true
    }

    /// `>` or `….>`: an entry, never a publishable concept.
    @inline(__always)
    private static func looksLikeEntry(_ bytes: UnsafeBufferPointer<UInt8>, _ concept: Range<Int>) -> Bool {
        guard bytes[concept.upperBound - 1] == UInt8(ascii: ">") else { return false }
        return concept.count == 1 || bytes[concept.upperBound - 2] == UInt8(ascii: ".")
    }
}
