// The requests the monitor's HTTP port reads. One request per connection; a body
// is never read. Pure: fed the bytes read so far.
//
//   request-line = method SP target SP "HTTP/1." ("0" / "1") CRLF
//   target       = "/" path-bytes [ "?" query ]            ; bytes 0x21–0x7E only
//   head         = request-line *( header CRLF ) CRLF       ; headers are skipped
//   query        = [ param *( "&" param ) ]  ;  param = name [ "=" value ]
//
// Path segments, names and values are percent-decoded (`%` HEX HEX, which must then be
// UTF-8); `+` stays a plus sign. Empty parameters (`a=1&&b=2`) are skipped; a repeated
// name is an error.

/// One parsed request: its method, decoded path segments and query parameters.
public struct HTTPRequest: Equatable, Sendable {
    /// The longest head accepted (request line, headers, blank line).
    public static let maxHeadBytes = 8192

    /// The method (only `GET` is ever returned).
    public let method: String
    /// The decoded path segments: `/instances/a%2Fb` is `["instances", "a/b"]`.
    public let segments: [String]
    /// The decoded query parameters.
    public let query: [String: String]

    /// A request as the parser would return it.
    public init(method: String = "GET", segments: [String], query: [String: String] = [:]) {
        self.method = method
        self.segments = segments
        self.query = query
    }

    /// What the bytes read so far hold.
    public enum Parse: Equatable, Sendable {
        /// Not a whole head yet, and within the limit.
        case incomplete
        /// A whole, acceptable request.
        case request(HTTPRequest)
        /// A request to refuse.
        case failure(HTTPFailure)
    }

    /// Parses the head at the start of `bytes`.
    public static func parse(_ bytes: [UInt8]) -> Parse {
        let terminator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        guard let end = firstIndex(of: terminator, in: bytes) else {
            return bytes.count >= maxHeadBytes ? .failure(.headTooLarge) : .incomplete
        }
        guard end + terminator.count <= maxHeadBytes else { return .failure(.headTooLarge) }
        let line = bytes[..<(firstIndex(of: [0x0D, 0x0A], in: bytes) ?? end)]
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].first == UInt8(ascii: "/"),
              parts[1].allSatisfy({ (0x21...0x7E).contains($0) })
        else { return .failure(.malformed("bad request line")) }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version.hasPrefix("HTTP/") else { return .failure(.malformed("bad request line")) }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return .failure(.versionNotSupported) }
        let method = String(decoding: parts[0], as: UTF8.self)
        guard method == "GET" else { return .failure(.methodNotAllowed(method)) }
        let target = parts[1]
        let question = target.firstIndex(of: UInt8(ascii: "?"))
        let path = target[..<(question ?? target.endIndex)]
        do throws(HTTPFailure) {
            var segments: [String] = []
            for segment in path.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
                segments.append(try decode(segment))
            }
            var query: [String: String] = [:]
            if let question { query = try parseQuery(target[(target.index(after: question))...]) }
            return .request(HTTPRequest(method: method, segments: segments == [""] ? [] : segments, query: query))
        } catch {
            return .failure(error)
        }
    }

    /// The parameters of a query string.
    static func parseQuery(_ query: ArraySlice<UInt8>) throws(HTTPFailure) -> [String: String] {
        var parameters: [String: String] = [:]
        for part in query.split(separator: UInt8(ascii: "&")) {
            let equals = part.firstIndex(of: UInt8(ascii: "="))
            let name = try decode(part[..<(equals ?? part.endIndex)])
            var value = ""
            if let equals { value = try decode(part[part.index(after: equals)...]) }
            guard parameters[name] == nil else { throw .badQuery("parameter '\(name)' given twice") }
            parameters[name] = value
        }
        return parameters
    }

    /// `text` with each `%XX` replaced by its byte; the result must be UTF-8.
    static func decode(_ text: ArraySlice<UInt8>) throws(HTTPFailure) -> String {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == UInt8(ascii: "%") {
                guard index + 2 < text.endIndex,
                      let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2])
                else { throw .badQuery("bad percent escape in '\(String(decoding: text, as: UTF8.self))'") }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(text[index])
                index += 1
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .badQuery("'\(String(decoding: text, as: UTF8.self))' is not UTF-8 once decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        return (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
