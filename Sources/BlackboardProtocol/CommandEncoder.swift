import BlackboardCore

/// Writes client-to-broker frames into a caller-owned buffer, CRLF-terminated.
/// Arguments must already be valid (URIs, option values and concepts printable
/// non-space ASCII); the encoder does not check them.
public enum CommandEncoder {
    /// Appends the wire form of `command`. A `HELLO` lists `version`, then
    /// `name`, `ack=1`, `lease` when set, then other options sorted by key.
    public static func encode(_ command: Command, into buffer: inout [UInt8]) {
        switch command {
        case let .hello(hello):
            encode(hello, into: &buffer)
        case let .subscribe(entries):
            entryList("SUB", entries, into: &buffer)
        case let .add(entries):
            entryList("ADD", entries, into: &buffer)
        case let .remove(entries):
            entryList("DEL", entries, into: &buffer)
        case .unsubscribe:
            line("UNSUB", into: &buffer)
        case .register:
            line("REG", into: &buffer)
        case .unregister:
            line("UNREG", into: &buffer)
        case let .publish(publication):
            publish(publication, into: &buffer)
        case let .acknowledge(version):
            buffer.append("ACK ")
            buffer.appendDecimal(version)
            buffer.appendEOL()
        case let .sync(timeout):
            buffer.append("SYNC")
            if let timeout {
                buffer.append(ASCII.space)
                buffer.appendDecimal(timeout)
            }
            buffer.appendEOL()
        case .ping:
            line("PING", into: &buffer)
        case .pong:
            line("PONG", into: &buffer)
        case .quit:
            line("QUIT", into: &buffer)
        }
    }

    /// Fast path for publishers: one `PUB` frame of `pairs`, with one capacity reservation.
    public static func publish(_ pairs: some Collection<Pair>, into buffer: inout [UInt8]) {
        var size = 4 + 20 + 2
        for pair in pairs { size += pair.concept.utf8.count + [UInt8].recordOverhead + pair.value.count }
        buffer.reserve(additional: size)
        buffer.append("PUB ")
        buffer.appendDecimal(pairs.count)
        buffer.appendEOL()
        for pair in pairs {
            buffer.appendUTF8(pair.concept)
            buffer.appendRecordTail(pair.value)
        }
    }

    /// One `PUB` frame of a publication's pairs.
    public static func publish(_ publication: Publication, into buffer: inout [UInt8]) {
        var size = 4 + 20 + 2
        for span in publication.pairs { size += span.concept.count + [UInt8].recordOverhead + span.value.count }
        buffer.reserve(additional: size)
        buffer.append("PUB ")
        buffer.appendDecimal(publication.pairs.count)
        buffer.appendEOL()
        publication.storage.withUnsafeBytes { storage in
            for span in publication.pairs {
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: storage[span.concept]))
                buffer.appendRecordTail(UnsafeRawBufferPointer(rebasing: storage[span.value]))
            }
        }
    }

    private static func encode(_ hello: Hello, into buffer: inout [UInt8]) {
        buffer.append("HELLO ")
        buffer.appendUTF8(hello.uri)
        buffer.append(" version=")
        buffer.appendDecimal(hello.version)
        if let name = hello.name {
            buffer.append(" name=")
            buffer.appendUTF8(name)
        }
        if hello.acknowledgePublishes { buffer.append(" ack=1") }
        if let lease = hello.leaseSeconds {
            buffer.append(" lease=")
            buffer.appendDecimal(lease)
        }
        if let user = hello.user {
            buffer.append(" user=")
            buffer.appendUTF8(user)
        }
        if let password = hello.password {
            buffer.append(" password=")
            appendPercentEncoded(password, into: &buffer)
        }
        if let token = hello.token {
            buffer.append(" token=")
            buffer.appendUTF8(token)
        }
        for (key, value) in hello.otherOptions.sorted(by: { $0.key < $1.key }) {
            buffer.append(ASCII.space)
            buffer.appendUTF8(key)
            buffer.append(ASCII.equals)
            buffer.appendUTF8(value)
        }
        buffer.appendEOL()
    }

    /// Bytes outside %x21-7E, and `%`, as `%XX` (the `password=` encoding).
    private static func appendPercentEncoded(_ bytes: [UInt8], into buffer: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "%") {
                buffer.append(byte)
            } else {
                buffer.append(UInt8(ascii: "%"))
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 15)])
            }
        }
    }

    private static func entryList(_ verb: StaticString, _ entries: [ProfileEntry], into buffer: inout [UInt8]) {
        buffer.append(verb)
        buffer.append(ASCII.space)
        buffer.appendDecimal(entries.count)
        buffer.appendEOL()
        buffer.appendEntryLines(entries)
    }

    private static func line(_ verb: StaticString, into buffer: inout [UInt8]) {
        buffer.append(verb)
        buffer.appendEOL()
    }
}
