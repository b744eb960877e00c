import BlackboardCore

// The broker-to-client grammar (PROTOCOL.md is normative); lines, entries,
// records, numbers and blanks are as in CommandDecoder.swift:
//
//   reply    = ok / err / msg / profile / delta / ping / pong
//   ok       = "+OK" SP verb *( SP arg ) EOL
//   err      = "-ERR" SP code [ SP text ] EOL         ; text: the rest of the line
//   msg      = "MSG" SP seq SP count SP publisher SP ts EOL count record
//   profile  = "PROFILE" SP version SP count EOL count entry-line
//   delta    = "DELTA" SP version SP count EOL count ( "+" / "-" ) entry EOL
//   ping     = "PING" EOL
//   pong     = "PONG" EOL
//
// Errors follow the same rules as for commands, with the same limits, but for
// one: PROFILE and DELTA counts are not held to `max_profile`. That limit bounds
// one subscriber's profile, while these frames carry the aggregate profile, the
// union of all of them, which the client must accept whatever its size. The
// decoder never reserves memory by a declared count, so a big count costs
// nothing until its lines arrive, and every line is still held to `max_line`.

/// Client side: single-step, incremental decoder of broker frames.
///
/// Same contract as ``CommandDecoder``: `append` bytes split anywhere, call
/// ``next()`` until `nil`; non-fatal errors have consumed their frame; fatal
/// ones repeat on every later call.
public struct ReplyDecoder: Sendable {
    /// What the current frame's control line announced.
    private enum Header {
        /// A frame without a body.
        case complete(Reply)
        /// `MSG` and its pair list.
        case message(sequence: UInt64, publisher: String, timestamp: UInt64)
        /// `PROFILE` and its entry list.
        case profile(version: UInt64)
        /// `DELTA` and its signed entry list.
        case delta(version: UInt64)
    }

    /// The frame verbs, packed as by `ASCII.packedVerb`: the hex digits are the ASCII codes.
    private enum Verb: UInt64 {
        case ok = 0x2B_4F_4B
        case error = 0x2D_45_52_52
        case message = 0x4D_53_47
        case profile = 0x50_52_4F_46_49_4C_45
        case delta = 0x44_45_4C_54_41
        case ping = 0x50_49_4E_47
        case pong = 0x50_4F_4E_47
    }

    private var scanner: FrameScanner
    /// The current frame's header; `nil` between frames and in a rejected frame.
    private var header: Header?

    /// A decoder enforcing `limits`.
    public init(limits: Limits = Limits()) {
        scanner = FrameScanner(limits: limits)
    }

    /// Bytes received and not yet returned as replies.
    public var bufferedByteCount: Int { scanner.bufferedByteCount }

    /// Adds received bytes. Ignored after a fatal error.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        scanner.append(bytes)
    }

    /// Adds received bytes. Ignored after a fatal error.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        scanner.append(contentsOf: bytes)
    }

    /// The next whole frame, or `nil` when more bytes are needed.
    ///
    /// A non-fatal error has already consumed the offending frame: call `next()`
    /// again to go on. After a fatal error every call throws that error again.
    public mutating func next() throws(ProtocolError) -> Reply? {
        try scanner.checkFailure()
        while true {
            if !scanner.isInFrame {
                guard let line = try scanner.nextControlLine() else {
                    scanner.releaseIfDrained()
                    return nil
                }
                header = try readHeader(line)
            }
            guard try scanner.readBody() else { return nil }
            let finished = header
            header = nil
            try scanner.endFrame()
            // A rejected frame has no header, and endFrame() threw its error.
            guard let finished else { continue }
            switch finished {
            case let .complete(reply):
                return reply
            case let .message(sequence, publisher, timestamp):
                let buffer = scanner.buffer
                let pairs = scanner.pairs.map { span in
                    Pair(ASCII.string(buffer, span.concept), Array(buffer[span.value]))
                }
                return .message(Delivery(sequence: sequence, publisher: publisher, timestamp: timestamp, pairs: pairs))
            case let .profile(version):
                return .profile(version: version, entries: scanner.takeEntries().added)
            case let .delta(version):
                let (added, removed) = scanner.takeEntries()
                return .delta(ProfileDelta(version: version, added: added, removed: removed))
            }
        }
    }

    /// Parses a control line; a body it announces is begun in the scanner.
    /// - Returns: the header, or `nil` when the frame is rejected with a deferred error.
    /// - Throws: fatal errors only.
    private mutating func readHeader(_ line: Range<Int>) throws(ProtocolError) -> Header? {
        var fields = LineFields(line)
        let verbField = fields.next(in: scanner.buffer) ?? line
        guard let packed = ASCII.packedVerb(scanner.buffer, verbField), let verb = Verb(rawValue: packed) else {
            scanner.deferError(ProtocolError(.unknownVerb, "unknown frame \(ASCII.quoted(scanner.buffer, verbField))"))
            return nil
        }
        switch verb {
        case .ok:
            guard let okVerb = fields.next(in: scanner.buffer) else { return reject("+OK needs a verb") }
            var arguments: [String] = []
            while let argument = fields.next(in: scanner.buffer) {
                arguments.append(ASCII.string(scanner.buffer, argument))
            }
            return .complete(.ok(verb: ASCII.string(scanner.buffer, okVerb).uppercased(), arguments: arguments))
        case .error:
            guard let code = fields.next(in: scanner.buffer) else { return reject("-ERR needs a code") }
            let text = fields.rest(in: scanner.buffer)
            return .complete(.error(code: ASCII.string(scanner.buffer, code), message: ASCII.string(scanner.buffer, text)))
        case .message:
            let sequence = fields.next(in: scanner.buffer)
            let count = try scanner.bodyCount(
                fields.next(in: scanner.buffer), limit: scanner.limits.maxPairs, code: .tooManyPairs, verb: "MSG")
            scanner.beginPairs(count: count)
            guard let sequence = sequence.flatMap({ ASCII.number(scanner.buffer, $0) }),
                  let publisher = fields.next(in: scanner.buffer),
                  let timestamp = fields.next(in: scanner.buffer).flatMap({ ASCII.number(scanner.buffer, $0) }),
                  fields.next(in: scanner.buffer) == nil
            else { return reject("MSG takes seq n publisher ts, all numbers but the publisher") }
            return .message(
                sequence: sequence, publisher: ASCII.string(scanner.buffer, publisher), timestamp: timestamp)
        case .profile, .delta:
            let name: StaticString = verb == .profile ? "PROFILE" : "DELTA"
            let version = fields.next(in: scanner.buffer)
            let count = try scanner.bodyCount(
                fields.next(in: scanner.buffer), limit: .max, code: .profileTooLarge, verb: name)
            scanner.beginEntries(count: count, signed: verb == .delta)
            guard let version = version.flatMap({ ASCII.number(scanner.buffer, $0) }),
                  fields.next(in: scanner.buffer) == nil
            else { return reject("\(name) takes version n, both numbers") }
            return verb == .profile ? .profile(version: version) : .delta(version: version)
        case .ping:
            return fields.next(in: scanner.buffer) == nil ? .complete(.ping) : reject("PING takes no arguments")
        case .pong:
            return fields.next(in: scanner.buffer) == nil ? .complete(.pong) : reject("PONG takes no arguments")
        }
    }

    /// Rejects the current frame with `bad_syntax`, reported once it is consumed.
    private mutating func reject(_ message: String) -> Header? {
        scanner.deferError(ProtocolError(.badSyntax, message))
        return nil
    }
}
