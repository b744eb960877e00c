// HELLO arguments (PROTOCOL.md, "HELLO"):
//
//   hello-args = uri *( SP key "=" value )
//   uri        = 1*256( %x21-7E )
//   key        = 1*( %x21-3C / %x3E-7E )        ; case-insensitive, kept lower-cased
//   value      = *( %x21-7E )
//
// `version` must be 1 (else bad_version); `ack` is 0 or 1; `lease` is a number
// of seconds; `name` is free text; `user`, `password` and `token` are the
// credentials (docs/SECURITY.md): `password` is percent-encoded (`%XX` for every
// byte outside %x21-7E and for `%` itself), and `user` and `password` come
// together or not at all, never with `token`. Other keys are kept in
// `otherOptions`. A bad URI is bad_uri; a missing URI, an option without `=`,
// a bad number, a bad `%XX` or a wrong mix of credentials is bad_syntax.

extension Hello {
    /// The longest URI, in bytes.
    public static let maxURIBytes = 256
}

extension CommandDecoder {
    /// Parses the arguments of a `HELLO` line.
    /// - Throws: the non-fatal error that rejects the command.
    static func readHello(_ fields: inout LineFields, in buffer: [UInt8]) throws(ProtocolError) -> Hello {
        guard let uri = fields.next(in: buffer) else {
            throw ProtocolError(.badSyntax, "HELLO needs a uri")
        }
        guard uri.count <= Hello.maxURIBytes, ASCII.isPrintable(buffer, uri) else {
            throw ProtocolError(
                .badURI, "\(ASCII.quoted(buffer, uri)) is not 1 to \(Hello.maxURIBytes) printable non-space ASCII bytes")
        }
        var hello = Hello(uri: ASCII.string(buffer, uri))
        while let option = fields.next(in: buffer) {
            guard ASCII.isPrintable(buffer, option),
                  let equals = option.firstIndex(where: { buffer[$0] == ASCII.equals }),
                  equals > option.lowerBound
            else {
                throw ProtocolError(.badSyntax, "HELLO option \(ASCII.quoted(buffer, option)) is not key=value")
            }
            let key = ASCII.string(buffer, option.lowerBound..<equals).lowercased()
            let value = equals + 1..<option.upperBound
            switch key {
            case "version":
                let version = try number(buffer, value, key: key)
                guard version == 1 else {
                    throw ProtocolError(.badVersion, "protocol version \(version) is not supported; the broker speaks 1")
                }
                hello.version = 1
            case "ack":
                let ack = try number(buffer, value, key: key)
                guard ack <= 1 else { throw ProtocolError(.badSyntax, "HELLO ack is 0 or 1") }
                hello.acknowledgePublishes = ack == 1
            case "lease":
                let lease = try number(buffer, value, key: key)
                guard lease <= UInt64(Int.max) else { throw ProtocolError(.badSyntax, "HELLO lease is too large") }
                hello.leaseSeconds = Int(lease)
            case "name":
                hello.name = ASCII.string(buffer, value)
            case "user":
                hello.user = ASCII.string(buffer, value)
            case "password":
                guard let password = percentDecoded(buffer, value) else {
                    throw ProtocolError(.badSyntax, "HELLO password has a % not followed by two hex digits")
                }
                hello.password = password
            case "token":
                hello.token = ASCII.string(buffer, value)
            default:
                hello.otherOptions[key] = ASCII.string(buffer, value)
            }
        }
        if (hello.user == nil) != (hello.password == nil) {
            throw ProtocolError(.badSyntax, "HELLO user= and password= go together")
        }
        if hello.token != nil && hello.user != nil {
            throw ProtocolError(.badSyntax, "HELLO takes token= or user= and password=, not both")
        }
        return hello
    }

    /// The bytes of a percent-encoded value; nil when a `%` lacks two hex digits.
    private static func percentDecoded(_ buffer: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        var output: [UInt8] = []
        var index = range.lowerBound
        while index < range.upperBound {
            guard buffer[index] == UInt8(ascii: "%") else {
                output.append(buffer[index])
                index += 1
                continue
            }
            guard index + 2 < range.upperBound, let high = hexDigit(buffer[index + 1]),
                  let low = hexDigit(buffer[index + 2]) else { return nil }
            output.append(high << 4 | low)
            index += 3
        }
        return output
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func number(_ buffer: [UInt8], _ value: Range<Int>, key: String) throws(ProtocolError) -> UInt64 {
        guard let number = ASCII.number(buffer, value) else {
            throw ProtocolError(.badSyntax, "HELLO \(key)=\(ASCII.quoted(buffer, value)) is not a number of 1 to 19 digits")
        }
        return number
    }
}
