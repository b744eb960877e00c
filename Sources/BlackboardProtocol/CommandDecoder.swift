import BlackboardCore

// The client-to-broker grammar (PROTOCOL.md is normative; this is what the
// decoder implements):
//
//   stream       = *( *empty-line command )
//   command      = hello / sub / add / del / unsub / reg / unreg / pub / ack
//                  / sync / ping / pong / quit
//   hello        = "HELLO" SP uri *( SP key "=" value ) EOL
//   sub          = "SUB" SP count EOL count entry-line      ; likewise ADD, DEL
//   pub          = "PUB" SP count EOL count record
//   ack          = "ACK" SP number EOL
//   sync         = "SYNC" [ SP number ] EOL
//   unsub / reg / unreg / ping / pong / quit = verb EOL
//
//   entry-line   = [ SP ] entry [ SP ] EOL                   ; `concept`, `prefix.>` or `>`
//   record       = concept SP number EOL value EOL           ; value: exactly number bytes
//   count        = number
//   number       = 1*19DIGIT
//   EOL          = CRLF / LF
//   SP           = 1*( %x20 / %x09 )
//   empty-line   = [ SP ] EOL
//
// Verbs are case-insensitive; surrounding blanks on a line are ignored; every
// control, entry and record-header line is at most `max_line` bytes with its EOL.
// A record header's length is its last field and the concept everything before
// it, so `a b 1` is a bad concept (non-fatal), not a lost frame.
//
// Errors (PROTOCOL.md, "Error codes"): an unknown verb, a wrong argument, a bad
// URI, concept or entry is non-fatal and reported once the whole frame, body
// included, is consumed. Anything that loses the framing is fatal: an overlong
// line, a malformed record, a count above its limit, and also a missing or
// malformed count of a frame with a body (`PUB x`), because then the body
// cannot be told from the commands after it.

/// Server side: single-step, incremental decoder of client commands.
///
/// Feed received bytes with `append`, then call ``next()`` until it returns
/// `nil`. Bytes may arrive split anywhere, down to one byte at a time; the
/// total cost stays linear in the bytes received. A `PUB` decodes into a
/// ``Publication`` that shares this decoder's buffer: drop it before the next
/// `append` or `next()` and decoding allocates nothing per message.
public struct CommandDecoder: Sendable {
    /// What the current frame's control line announced.
    private enum Header {
        /// A frame without a body.
        case complete(Command)
        /// `SUB`, `ADD` or `DEL` and their entry list.
        case entries(Verb)
        /// `PUB` and its pair list.
        case publish
    }

    /// The verbs, packed as by `ASCII.packedVerb`: the hex digits are the ASCII codes.
    private enum Verb: UInt64 {
        case hello = 0x48_45_4C_4C_4F
        case sub = 0x53_55_42
        case add = 0x41_44_44
        case del = 0x44_45_4C
        case unsub = 0x55_4E_53_55_42
        case reg = 0x52_45_47
        case unreg = 0x55_4E_52_45_47
        case pub = 0x50_55_42
        case ack = 0x41_43_4B
        case sync = 0x53_59_4E_43
        case ping = 0x50_49_4E_47
        case pong = 0x50_4F_4E_47
        case quit = 0x51_55_49_54

        var name: StaticString {
            switch self {
            case .hello: "HELLO"
            case .sub: "SUB"
            case .add: "ADD"
            case .del: "DEL"
            case .unsub: "UNSUB"
            case .reg: "REG"
            case .unreg: "UNREG"
            case .pub: "PUB"
            case .ack: "ACK"
            case .sync: "SYNC"
            case .ping: "PING"
            case .pong: "PONG"
            case .quit: "QUIT"
            }
        }
    }

    private var scanner: FrameScanner
    /// The current frame's header; `nil` between frames and in a rejected frame.
    private var header: Header?

    /// A decoder enforcing `limits`.
    public init(limits: Limits = Limits()) {
        scanner = FrameScanner(limits: limits)
    }

    /// The limits enforced; a change applies from the next line read.
    public var limits: Limits {
        get { scanner.limits }
        set { scanner.limits = newValue }
    }

    /// Bytes received and not yet returned as commands (for memory accounting
    /// and slow-sender detection).
    public var bufferedByteCount: Int { scanner.bufferedByteCount }

    /// Adds received bytes. Ignored after a fatal error.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        scanner.append(bytes)
    }

    /// Adds received bytes. Ignored after a fatal error.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        scanner.append(contentsOf: bytes)
    }

    /// The next whole command, or `nil` when more bytes are needed.
    ///
    /// A non-fatal error has already consumed the offending frame: call `next()`
    /// again to go on with the following command. After a fatal error every
    /// call throws that error again.
    public mutating func next() throws(ProtocolError) -> Command? {
        try scanner.checkFailure()
        while true {
            if !scanner.isInFrame {
                if scanner.decodeCanonicalPublish() {
                    return .publish(Publication(storage: scanner.buffer, pairs: scanner.pairs))
                }
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
            case let .complete(command):
                return command
            case .entries(.add):
                return .add(scanner.takeEntries().added)
            case .entries(.del):
                return .remove(scanner.takeEntries().added)
            case .entries:
                return .subscribe(scanner.takeEntries().added)
            case .publish:
                return .publish(Publication(storage: scanner.buffer, pairs: scanner.pairs))
            }
        }
    }

    /// The hot path: when the next frame is a whole, canonical `PUB`, consumes it
    /// and calls `body` with its bytes and pair spans (valid during the call
    /// only), and returns true. Otherwise returns false and consumes nothing:
    /// ``next()`` then decodes the frame, whatever it is, with the same result a
    /// `Publication` would carry. Saves building a `Command` per message.
    public mutating func nextCanonicalPublication(
        _ body: (UnsafeRawBufferPointer, UnsafeBufferPointer<PairSpan>) -> Void
    ) -> Bool {
        guard header == nil, scanner.decodeCanonicalPublish() else { return false }
        scanner.buffer.withUnsafeBytes { storage in
            scanner.pairs.withUnsafeBufferPointer { pairs in body(storage, pairs) }
        }
        return true
    }

    /// Parses a control line; a body it announces is begun in the scanner.
    /// - Returns: the header, or `nil` when the frame is rejected with a deferred error.
    /// - Throws: fatal errors only.
    private mutating func readHeader(_ line: Range<Int>) throws(ProtocolError) -> Header? {
        var fields = LineFields(line)
        let verbField = fields.next(in: scanner.buffer) ?? line
        guard let packed = ASCII.packedVerb(scanner.buffer, verbField), let verb = Verb(rawValue: packed) else {
            scanner.deferError(ProtocolError(.unknownVerb, "unknown verb \(ASCII.quoted(scanner.buffer, verbField))"))
            return nil
        }
        switch verb {
        case .pub:
            let count = try scanner.bodyCount(
                fields.next(in: scanner.buffer), limit: limits.maxPairs, code: .tooManyPairs, verb: "PUB")
            scanner.beginPairs(count: count)
            return endOfArguments(&fields, verb) ? .publish : nil
        case .sub, .add, .del:
            let count = try scanner.bodyCount(
                fields.next(in: scanner.buffer), limit: limits.maxProfileEntries, code: .profileTooLarge,
                verb: verb.name)
            scanner.beginEntries(count: count, signed: false)
            return endOfArguments(&fields, verb) ? .entries(verb) : nil
        case .hello:
            do throws(ProtocolError) {
                return .complete(.hello(try Self.readHello(&fields, in: scanner.buffer)))
            } catch {
                scanner.deferError(error)
                return nil
            }
        case .ack:
            guard let version = number(&fields, verb, required: true), endOfArguments(&fields, verb) else {
                return nil
            }
            return .complete(.acknowledge(version: version))
        case .sync:
            let timeout = number(&fields, verb, required: false)
            guard !scanner.hasDeferredError, endOfArguments(&fields, verb) else { return nil }
            return .complete(.sync(timeoutMilliseconds: timeout))
        case .unsub: return endOfArguments(&fields, verb) ? .complete(.unsubscribe) : nil
        case .reg: return endOfArguments(&fields, verb) ? .complete(.register) : nil
        case .unreg: return endOfArguments(&fields, verb) ? .complete(.unregister) : nil
        case .ping: return endOfArguments(&fields, verb) ? .complete(.ping) : nil
        case .pong: return endOfArguments(&fields, verb) ? .complete(.pong) : nil
        case .quit: return endOfArguments(&fields, verb) ? .complete(.quit) : nil
        }
    }

    /// The next argument as a number; a missing required one or a malformed one
    /// defers `bad_syntax`.
    private mutating func number(_ fields: inout LineFields, _ verb: Verb, required: Bool) -> UInt64? {
        guard let field = fields.next(in: scanner.buffer) else {
            if required { scanner.deferError(ProtocolError(.badSyntax, "\(verb.name) needs a number")) }
            return nil
        }
        guard let value = ASCII.number(scanner.buffer, field) else {
            scanner.deferError(ProtocolError(
                .badSyntax, "\(verb.name): \(ASCII.quoted(scanner.buffer, field)) is not a number of 1 to 19 digits"))
            return nil
        }
        return value
    }

    /// Whether the line has no more arguments; if it has, defers `bad_syntax`.
    private mutating func endOfArguments(_ fields: inout LineFields, _ verb: Verb) -> Bool {
        guard fields.next(in: scanner.buffer) != nil else { return true }
        scanner.deferError(ProtocolError(.badSyntax, "too many arguments to \(verb.name)"))
        return false
    }
}
