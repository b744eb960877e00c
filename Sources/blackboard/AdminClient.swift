import BlackboardTLS
import BlackboardTransport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for the admin port (and the monitor's HTTP port): one
/// `GET` per connection (`Connection: close`), read to the end, over a plain blocking
/// socket or TLS (``tls``).
struct AdminClient {
    /// How to speak TLS to the port.
    struct TLS {
        var configuration: TLSConfiguration
        /// The name the server's certificate must carry.
        var serverName: String
        var verifiesHostName: Bool
    }

    let host: String
    let port: UInt16
    /// `host:port` as the user wrote it, for messages.
    let endpoint: String
    let timeoutSeconds: Double
    /// What the port is, for messages.
    var service = "the admin port"
    /// TLS settings; nil speaks plain HTTP.
    var tls: TLS?
    /// Sent as `Authorization: Bearer TOKEN` (`admin.require_token`); nil sends none.
    var token: String?

    /// The body of `GET target` (path and query), parsed as a JSON object.
    func object(_ target: String) throws(AdminError) -> [String: Any] {
        let body = try get(target)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw .malformed(service: service, endpoint: endpoint, reason: "the body of \(target) is not a JSON object")
        }
        return object
    }

    /// The body of `GET target`; an error for any status but 200.
    func get(_ target: String) throws(AdminError) -> [UInt8] {
        let stream = try open()
        defer { stream.close() }
        let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        let request = "GET \(target) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: blackboard\r\n\(authorization)Connection: close\r\n\r\n"
        do {
            try Array(request.utf8).withUnsafeBytes { try stream.writeAll($0) }
        } catch {
            throw .unreachable(service: service, endpoint: endpoint, reason: "\(error)")
        }
        let response = try readAll(stream)
        // A TLS port drops plain HTTP without a word (or with a TLS alert, record type 0x15).
        if tls == nil && (response.isEmpty || response.first == 0x15) {
            throw .unreachable(service: service, endpoint: endpoint,
                               reason: "closed without an answer (if it serves TLS, use --tls or --ca)")
        }
        return try body(of: response, target: target)
    }

    /// A connection to the port, the TLS handshake done when TLS is on.
    private func open() throws(AdminError) -> AdminStream {
        let socket: Socket
        do {
            socket = try Socket.connect(host: host, port: port)
        } catch {
            throw .unreachable(service: service, endpoint: endpoint, reason: "\(error)")
        }
        guard let tls else { return .plain(socket) }
        let timeout = Duration.milliseconds(Int64(timeoutSeconds * 1000))
        do {
            let stream = try TLSClientStream(
                socket: socket, context: TLSContext(tls.configuration), serverName: tls.serverName,
                verifiesHostName: tls.verifiesHostName, receiveTimeout: timeout)
            do {
                try stream.handshake(deadline: .now + timeout)
            } catch {
                stream.close()
                throw error
            }
            return .tls(stream)
        } catch {
            throw .unreachable(service: service, endpoint: endpoint, reason: "\(error)")
        }
    }

    /// Everything the server sends until it closes, each wait bounded by the timeout.
    private func readAll(_ stream: AdminStream) throws(AdminError) -> [UInt8] {
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if case let .plain(socket) = stream {
                var descriptor = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(timeoutSeconds * 1000))
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 { throw noAnswer }
            }
            switch buffer.withUnsafeMutableBytes({ stream.read(into: $0) }) {
            case let .transferred(count): response += buffer[..<count]
            case .wouldBlock:
                // A plain socket found readable reads at once; TLS waited the whole timeout.
                if case .tls = stream { throw noAnswer }
                continue
            case .closed: return response
            case let .failed(error): throw .unreachable(service: service, endpoint: endpoint, reason: "\(error)")
            }
        }
    }

    private var noAnswer: AdminError {
        .unreachable(service: service, endpoint: endpoint, reason: "no answer within \(timeoutSeconds) s")
    }

    /// The body of a whole response, checked against its status line and `Content-Length`.
    private func body(of response: [UInt8], target: String) throws(AdminError) -> [UInt8] {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = response.indices.first(where: { response[$0...].starts(with: separator) }) else {
            throw .malformed(service: service, endpoint: endpoint, reason: "no complete HTTP head")
        }
        let head = String(decoding: response[..<end], as: UTF8.self).split(separator: "\r\n")
        let body = Array(response[(end + separator.count)...])
        guard let statusLine = head.first, statusLine.hasPrefix("HTTP/1."),
              let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw .malformed(service: service, endpoint: endpoint, reason: "no HTTP status line") }
        let length = head.dropFirst().lazy.compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first
        if let length, length != body.count {
            throw .malformed(service: service, endpoint: endpoint, reason: "body of \(body.count) bytes, Content-Length \(length)")
        }
        guard status == 200 else {
            let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            let message = object?["error"] as? String ?? String(decoding: body, as: UTF8.self)
            throw .refused(service: service, endpoint: endpoint, status: status, message: "\(target): \(message)")
        }
        return body
    }

    /// `text` percent-encoded for a query value: every byte but A–Z a–z 0–9 - . _ ~ as %XX.
    static func queryValue(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
