import BlackboardHTTP

// The requests the monitor's HTTP port reads. One request per connection; a body
// is never read. Pure: fed the bytes read so far. The head and the query string are
// parsed by BlackboardHTTP, as on the admin port (its grammar and limits are in
// HTTPRequestHead.swift and HTTPQuery.swift); here the path is split into
// percent-decoded segments, only GET is taken, and a repeated parameter is an error.

/// One parsed request: its method, decoded path segments and query parameters.
public struct HTTPRequest: Equatable, Sendable {
    /// The longest head accepted (request line, headers, blank line).
    public static let maxHeadBytes = HTTPRequestHead.maxHeadBytes

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

    /// Parses the head at the start of `bytes`: the head itself by the parser the admin port
    /// uses (BlackboardHTTP's ``HTTPRequestHead``), then the path segments and the query.
    public static func parse(_ bytes: [UInt8]) -> Parse {
        switch HTTPRequestHead.parse(bytes) {
        case .incomplete: return .incomplete
        case let .failure(error): return .failure(HTTPFailure(error))
        case let .request(head):
            guard head.method == "GET" else { return .failure(.methodNotAllowed(head.method)) }
            do throws(HTTPFailure) {
                var segments: [String] = []
                for segment in Array(head.path.utf8).dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
                    segments.append(try decode(segment))
                }
                return .request(HTTPRequest(method: head.method, segments: segments == [""] ? [] : segments,
                                            query: try parameters(head.query)))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The parameters of a query string, by name; a repeated name is an error.
    static func parameters(_ query: String?) throws(HTTPFailure) -> [String: String] {
        let list: [QueryParameter]
        do { list = try HTTPQuery.parse(query) } catch { throw .badQuery(HTTPFailure.message(error)) }
        var parameters: [String: String] = [:]
        for parameter in list {
            guard parameters[parameter.name] == nil else { throw .badQuery("parameter '\(parameter.name)' given twice") }
            parameters[parameter.name] = parameter.value
        }
        return parameters
    }

    /// A path segment, percent-decoded (it must then be UTF-8).
    static func decode(_ text: ArraySlice<UInt8>) throws(HTTPFailure) -> String {
        do { return try HTTPQuery.decode(text) } catch { throw .badQuery(HTTPFailure.message(error)) }
    }
}
