import BlackboardCore

/// Writes broker-to-client frames into a caller-owned buffer, CRLF-terminated.
/// Verbs and arguments must already be printable non-space ASCII; error text
/// is made single-line.
public enum ReplyEncoder {
    /// Appends the wire form of `reply`.
    public static func encode(_ reply: Reply, into buffer: inout [UInt8]) {
        switch reply {
        case let .ok(verb, arguments):
            ok(verb, arguments, into: &buffer)
        case let .error(code, message):
            error(code: code, message: message, into: &buffer)
        case let .message(delivery):
            message(delivery, into: &buffer)
        case let .profile(version, entries):
            profile(version: version, entries: entries, into: &buffer)
        case let .delta(delta):
            self.delta(delta, into: &buffer)
        case .ping:
            buffer.append("PING")
            buffer.appendEOL()
        case .pong:
            buffer.append("PONG")
            buffer.appendEOL()
        }
    }

    /// Appends `+OK verb arguments…`.
    public static func ok(_ verb: String, _ arguments: String..., into buffer: inout [UInt8]) {
        ok(verb, arguments, into: &buffer)
    }

    /// Appends `+OK verb number` (`+OK SUB 7`, `+OK PUB 3`) without building strings.
    public static func ok(_ verb: String, number: UInt64, into buffer: inout [UInt8]) {
        buffer.append("+OK ")
        buffer.appendUTF8(verb)
        buffer.append(ASCII.space)
        buffer.appendDecimal(number)
        buffer.appendEOL()
    }

    /// Appends `-ERR code message`.
    public static func error(_ error: ProtocolError, into buffer: inout [UInt8]) {
        self.error(code: error.code.rawValue, message: error.message, into: &buffer)
    }

    /// A `MSG` frame holding the `selected` pairs of a publication, in the
    /// order given: ``MessageFrame``'s head and tail in one piece. `pairs`
    /// locate the publication's pairs in `storage`; `selected` are indices into `pairs`.
    public static func message(
        sequence: UInt64, publisher: UnsafeRawBufferPointer, timestamp: UInt64,
        storage: UnsafeRawBufferPointer, pairs: UnsafeBufferPointer<PairSpan>,
        selected: UnsafeBufferPointer<Int32>, into buffer: inout [UInt8]
    ) {
        let stamp = [UInt8](unsafeUninitializedCapacity: MessageFrame.stampCapacity(publisher: publisher.count)) {
            $1 = MessageFrame.encodeStamp(publisher: publisher, timestamp: timestamp, into: $0.baseAddress!)
        }
        let frame = stamp.withUnsafeBytes { stamp in
            let capacity = MessageFrame.maxHeadSize
                + MessageFrame.tailCapacity(stamp: stamp.count, pairs: pairs, selected: selected)
            return [UInt8](unsafeUninitializedCapacity: capacity) { bytes, count in
                let out = UnsafeMutableRawPointer(bytes.baseAddress!)
                let head = MessageFrame.encodeHead(sequence: sequence, into: out)
                count = head + MessageFrame.encodeTail(
                    stamp: stamp, storage: storage, pairs: pairs, selected: selected, into: out + head)
            }
        }
        buffer.append(contentsOf: frame)
    }

    /// Appends `PROFILE version n` and one line per entry.
    public static func profile(version: UInt64, entries: some Collection<ProfileEntry>, into buffer: inout [UInt8]) {
        buffer.append("PROFILE ")
        buffer.appendDecimal(version)
        buffer.append(ASCII.space)
        buffer.appendDecimal(entries.count)
        buffer.appendEOL()
        buffer.appendEntryLines(entries)
    }

    /// Appends `DELTA version n`, a `+entry` line per added entry, then a
    /// `-entry` line per removed one.
    public static func delta(_ delta: ProfileDelta, into buffer: inout [UInt8]) {
        buffer.append("DELTA ")
        buffer.appendDecimal(delta.version)
        buffer.append(ASCII.space)
        buffer.appendDecimal(delta.added.count + delta.removed.count)
        buffer.appendEOL()
        for entry in delta.added {
            buffer.append(ASCII.plus)
            buffer.append(entry)
            buffer.appendEOL()
        }
        for entry in delta.removed {
            buffer.append(ASCII.minus)
            buffer.append(entry)
            buffer.appendEOL()
        }
    }

    public static func ok(_ verb: String, _ arguments: [String], into buffer: inout [UInt8]) {
        buffer.append("+OK ")
        buffer.appendUTF8(verb)
        for argument in arguments {
            buffer.append(ASCII.space)
            buffer.appendUTF8(argument)
        }
        buffer.appendEOL()
    }

    private static func error(code: String, message: String, into buffer: inout [UInt8]) {
        buffer.append("-ERR ")
        buffer.appendSingleLine(code)
        if !message.isEmpty {
            buffer.append(ASCII.space)
            buffer.appendSingleLine(message)
        }
        buffer.appendEOL()
    }

    private static func message(_ delivery: Delivery, into buffer: inout [UInt8]) {
        buffer.append("MSG ")
        buffer.appendDecimal(delivery.sequence)
        buffer.append(ASCII.space)
        buffer.appendDecimal(delivery.pairs.count)
        buffer.append(ASCII.space)
        buffer.appendUTF8(delivery.publisher)
        buffer.append(ASCII.space)
        buffer.appendDecimal(delivery.timestamp)
        buffer.appendEOL()
        for pair in delivery.pairs {
            buffer.appendUTF8(pair.concept)
            buffer.appendRecordTail(pair.value)
        }
    }
}
