import BlackboardCore

// The framing shared by CommandDecoder and ReplyDecoder: control lines,
// entry-list bodies and pair-list bodies, read incrementally from one receive
// buffer. The decoders parse control lines into frames; everything that is
// about where lines and records begin and end lives here.
//
// All positions are indices into `buffer`:
//
//     0 ..< frameStart          consumed; dropped by a later compaction
//     frameStart ..< cursor     the current frame, parsed so far
//     cursor ..< scanPosition   searched for LF, none found
//     scanPosition ..< count    not looked at yet
//
// Every byte is searched for LF at most once and parsed at most once, and how
// far a body has been read (entries or records to go, a record header parsed
// whose value is awaited) lives in `body`, so feeding a frame one byte at a time
// costs O(bytes), never a rescan from the frame start.
//
// The buffer changes only in `append` (and when a fatal error frees it), never
// in `next()`, so a decoded publication can share it until the caller appends
// again. `append` drops consumed bytes once they are at least half the buffer,
// so every byte is moved at most once per byte consumed (amortised O(1)), and
// resets a fully consumed buffer in place, or releases it when it grew big.

/// Incremental reader of lines and frame bodies over one receive buffer.
struct FrameScanner {
    /// Capacity kept when the buffer empties. A bigger buffer (left by a big
    /// message) is released instead, so an idle connection holds little memory.
    static let retainedCapacity = 1 << 20
    /// Pair spans kept for reuse between messages (32 bytes each).
    static let retainedPairCapacity = 1 << 14

    /// What the body of the current frame still needs.
    private enum Body {
        /// No body, or the body is complete.
        case none
        /// `remaining` entry lines; `signed` lines start with `+` or `-` (DELTA).
        case entries(remaining: Int, signed: Bool)
        /// A record header `concept SP nbytes` comes next; `remaining` records to go.
        case recordHeader(remaining: Int)
        /// The value of a record whose header is parsed, then the value's EOL.
        case value(remaining: Int, concept: Range<Int>, length: Int)
    }

    /// The limits checked while scanning.
    var limits: Limits
    /// Received bytes; see the position map at the top of the file.
    private(set) var buffer: [UInt8] = []
    // Internal rather than private for FrameScanner+Publish.swift.
    var frameStart = 0
    var cursor = 0
    var scanPosition = 0
    private var body = Body.none
    /// Concept and value bytes of the current pair list so far.
    private var messageBytes = 0
    /// The first non-fatal error in the current frame, thrown once all of it is read.
    private(set) var deferred: ProtocolError?
    /// The fatal error that ended the stream.
    private(set) var failure: ProtocolError?

    /// The pairs of the last pair-list body, as offsets into `buffer`.
    var pairs: [PairSpan] = []
    /// The entries of the current entry-list body (the `+` lines of a signed one).
    private var entries: [ProfileEntry] = []
    /// The `-` lines of a signed entry-list body.
    private var removedEntries: [ProfileEntry] = []

    init(limits: Limits) {
        self.limits = limits
    }

    /// Bytes received and not yet consumed as frames.
    var bufferedByteCount: Int { buffer.count - frameStart }

    /// Whether a frame's control line has been read and its body is not complete.
    var isInFrame: Bool { cursor > frameStart }

    // MARK: Input

    /// Adds received bytes; ignored after a fatal error.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes; ignored after a fatal error.
    mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    private mutating func compact() {
        guard frameStart > 0 else { return }
        if frameStart == buffer.count {
            if buffer.capacity > Self.retainedCapacity {
                buffer = []
            } else {
                buffer.removeAll(keepingCapacity: true)
            }
            frameStart = 0
            cursor = 0
            scanPosition = 0
            return
        }
        let shift = frameStart
        guard shift >= buffer.count - shift else { return }
        buffer.removeSubrange(0..<shift)
        frameStart = 0
        cursor -= shift
        scanPosition -= shift
        switch body {
        case .none, .entries:
            return
        case let .value(remaining, concept, length):
            body = .value(remaining: remaining, concept: concept.lowerBound - shift..<concept.upperBound - shift, length: length)
        case .recordHeader:
            break
        }
        for index in pairs.indices {
            let pair = pairs[index]
            pairs[index] = PairSpan(
                concept: pair.concept.lowerBound - shift..<pair.concept.upperBound - shift,
                value: pair.value.lowerBound - shift..<pair.value.upperBound - shift)
        }
    }

    /// Releases a big buffer once everything in it is consumed. Called when a
    /// decoder needs more bytes; dropping a reference never allocates, even
    /// while a publication still shares the buffer.
    mutating func releaseIfDrained() {
        guard frameStart == buffer.count, buffer.capacity > Self.retainedCapacity else { return }
        buffer = []
        frameStart = 0
        cursor = 0
        scanPosition = 0
    }

    // MARK: Errors

    /// Throws the fatal error that ended the stream, if any.
    func checkFailure() throws(ProtocolError) {
        if let failure { throw failure }
    }

    /// Ends the stream with `error`, made fatal, and frees the buffers.
    /// - Returns: the error, for the caller to throw.
    mutating func fail(_ error: ProtocolError) -> ProtocolError {
        var error = error
        error.isFatal = true
        failure = error
        buffer = []
        pairs = []
        entries = []
        removedEntries = []
        frameStart = 0
        cursor = 0
        scanPosition = 0
        body = .none
        return error
    }

    /// Whether the current frame already has a non-fatal error.
    var hasDeferredError: Bool { deferred != nil }

    /// Records a non-fatal error in the current frame, to be thrown by
    /// ``endFrame()`` once the whole frame is read. The first one wins.
    mutating func deferError(_ error: ProtocolError) {
        if deferred == nil { deferred = error }
    }

    // MARK: Lines

    /// The next non-empty control line, without its EOL and surrounding blanks,
    /// or `nil` until a whole one is buffered. Empty lines are consumed.
    mutating func nextControlLine() throws(ProtocolError) -> Range<Int>? {
        while let line = try nextLine() {
            let trimmed = trimmed(line)
            if !trimmed.isEmpty { return trimmed }
            frameStart = cursor
        }
        return nil
    }

    /// The next line without its EOL (LF, or CR LF), or `nil` until its LF is buffered.
    /// - Throws: fatal `line_too_long` as soon as `maxLineBytes` bytes are
    ///   buffered without an LF among them, or when a line with its EOL is longer.
    private mutating func nextLine() throws(ProtocolError) -> Range<Int>? {
        // An LF at index i ends a line of i - cursor + 1 bytes, so the limit
        // bounds the search; bytes beyond it are not looked at.
        let limit = Swift.min(buffer.count, cursor + limits.maxLineBytes)
        var index = scanPosition
        let found = buffer.withUnsafeBufferPointer { bytes in
            while index < limit {
                if bytes[index] == ASCII.lf { return true }
                index += 1
            }
            return false
        }
        guard found else {
            if buffer.count - cursor >= limits.maxLineBytes {
                throw fail(ProtocolError(.lineTooLong, "a line is longer than \(limits.maxLineBytes) bytes"))
            }
            scanPosition = index
            return nil
        }
        var end = index
        if end > cursor && buffer[end - 1] == ASCII.cr { end -= 1 }
        let line = cursor..<end
        cursor = index + 1
        scanPosition = cursor
        return line
    }

    /// `line` without leading and trailing spaces and tabs.
    func trimmed(_ line: Range<Int>) -> Range<Int> {
        var start = line.lowerBound
        var end = line.upperBound
        while start < end && ASCII.isBlank(buffer[start]) { start += 1 }
        while end > start && ASCII.isBlank(buffer[end - 1]) { end -= 1 }
        return start..<end
    }

    // MARK: Bodies

    /// The count of a frame with a body, checked against `limit` before any of
    /// the body is read. A missing or malformed count loses the framing, so,
    /// unlike other syntax errors, it is fatal.
    mutating func bodyCount(
        _ field: Range<Int>?, limit: Int, code: ErrorCode, verb: StaticString
    ) throws(ProtocolError) -> Int {
        guard let field, let count = ASCII.number(buffer, field) else {
            throw fail(ProtocolError(.badSyntax, "\(verb) needs a count of 1 to 19 digits"))
        }
        guard count <= UInt64(Swift.max(limit, 0)) else {
            throw fail(ProtocolError(code, "\(verb) \(count) is above the limit of \(limit)"))
        }
        return Int(count)
    }

    /// Starts an entry-list body of `count` lines.
    mutating func beginEntries(count: Int, signed: Bool) {
        entries = []
        removedEntries = []
        body = count > 0 ? .entries(remaining: count, signed: signed) : .none
    }

    /// Starts a pair-list body of `count` records. The span array keeps its
    /// capacity, and is reused in place when no publication shares it any more.
    mutating func beginPairs(count: Int) {
        pairs.removeAll(keepingCapacity: pairs.capacity <= Self.retainedPairCapacity)
        messageBytes = 0
        body = count > 0 ? .recordHeader(remaining: count) : .none
    }

    /// Reads as much of the current body as is buffered.
    /// - Returns: whether the body is complete (always, for a frame without one).
    mutating func readBody() throws(ProtocolError) -> Bool {
        while true {
            switch body {
            case .none:
                return true
            case let .entries(remaining, signed):
                guard let line = try nextLine() else { return false }
                body = remaining > 1 ? .entries(remaining: remaining - 1, signed: signed) : .none
                if deferred == nil { readEntry(trimmed(line), signed: signed) }
            case let .recordHeader(remaining):
                guard let line = try nextLine() else { return false }
                try readRecordHeader(line, remaining: remaining)
            case let .value(remaining, concept, length):
                guard try readValue(concept: concept, length: length) else { return false }
                body = remaining > 0 ? .recordHeader(remaining: remaining) : .none
            }
        }
    }

    /// Consumes the current frame.
    /// - Throws: the first non-fatal error found in the frame, now that all of it is read.
    mutating func endFrame() throws(ProtocolError) {
        frameStart = cursor
        body = .none
        if let error = deferred {
            deferred = nil
            entries = []
            removedEntries = []
            throw error
        }
    }

    /// Hands over the entries of the body just read: `added` holds the plain or
    /// `+` lines, `removed` the `-` lines.
    mutating func takeEntries() -> (added: [ProfileEntry], removed: [ProfileEntry]) {
        defer {
            entries = []
            removedEntries = []
        }
        return (entries, removedEntries)
    }

    private mutating func readEntry(_ line: Range<Int>, signed: Bool) {
        var text = line
        var isRemoval = false
        if signed {
            guard let first = text.first, buffer[first] == ASCII.plus || buffer[first] == ASCII.minus else {
                deferError(ProtocolError(.badEntry, "\(ASCII.quoted(buffer, line)) does not start with '+' or '-'"))
                return
            }
            isRemoval = buffer[first] == ASCII.minus
            text = first + 1..<text.upperBound
        }
        do {
            let entry = try ProfileEntry(parsing: buffer[text], maxConceptBytes: limits.maxConceptBytes)
            if isRemoval { removedEntries.append(entry) } else { entries.append(entry) }
        } catch {
            deferError(ProtocolError(.badEntry, "\(ASCII.quoted(buffer, text)): \(error)"))
        }
    }

    private mutating func readRecordHeader(_ line: Range<Int>, remaining: Int) throws(ProtocolError) {
        // The length is the last field and the concept everything before it, so
        // that a concept with a blank inside is a bad concept in an intact
        // frame rather than a lost frame.
        let header = trimmed(line)
        var lengthStart = header.upperBound
        while lengthStart > header.lowerBound && !ASCII.isBlank(buffer[lengthStart - 1]) { lengthStart -= 1 }
        guard lengthStart > header.lowerBound else {
            throw fail(ProtocolError(.badFrame, "expected 'concept nbytes', got \(ASCII.quoted(buffer, line))"))
        }
        let lengthField = lengthStart..<header.upperBound
        let concept = trimmed(header.lowerBound..<lengthStart)
        guard let length = ASCII.number(buffer, lengthField) else {
            throw fail(ProtocolError(.badFrame, "bad value length \(ASCII.quoted(buffer, lengthField))"))
        }
        guard length <= UInt64(Swift.max(limits.maxValueBytes, 0)) else {
            throw fail(ProtocolError(.valueTooLarge, "a \(length)-byte value is above the limit of \(limits.maxValueBytes)"))
        }
        messageBytes += concept.count + Int(length)
        guard messageBytes <= limits.maxMessageBytes else {
            throw fail(ProtocolError(.messageTooLarge, "the message is above the limit of \(limits.maxMessageBytes) bytes"))
        }
        if deferred == nil {
            let maxBytes = limits.maxConceptBytes
            let error = buffer.withUnsafeBytes { bytes in
                Concept.validate(UnsafeRawBufferPointer(rebasing: bytes[concept]), maxBytes: maxBytes)
            }
            if let error {
                deferError(ProtocolError(.badConcept, "\(ASCII.quoted(buffer, concept)): \(error)"))
            }
        }
        body = .value(remaining: remaining - 1, concept: concept, length: Int(length))
    }

    /// Reads a value of `length` bytes and its EOL, if buffered.
    private mutating func readValue(concept: Range<Int>, length: Int) throws(ProtocolError) -> Bool {
        let valueEnd = cursor + length
        guard valueEnd < buffer.count else { return false }
        var next = valueEnd + 1
        switch buffer[valueEnd] {
        case ASCII.lf:
            break
        case ASCII.cr:
            guard next < buffer.count else { return false }
            guard buffer[next] == ASCII.lf else { throw fail(missingEOL(concept, length)) }
            next += 1
        default:
            throw fail(missingEOL(concept, length))
        }
        if deferred == nil { pairs.append(PairSpan(concept: concept, value: cursor..<valueEnd)) }
        cursor = next
        scanPosition = next
        return true
    }

    private func missingEOL(_ concept: Range<Int>, _ length: Int) -> ProtocolError {
        ProtocolError(.badFrame, "no EOL after the \(length)-byte value of \(ASCII.quoted(buffer, concept))")
    }
}
