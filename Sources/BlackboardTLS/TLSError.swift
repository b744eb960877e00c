internal import COpenSSL

/// A TLS failure: what was being done, and OpenSSL's own explanation (its
/// error queue, oldest first, e.g. `error:0A000086:SSL routines::certificate
/// verify failed`).
public struct TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What failed, e.g. `load certificate chain /etc/blackboard/server.pem`.
    public let operation: String
    /// OpenSSL's error strings joined by "; " (or a reason of our own when
    /// OpenSSL left none).
    public let message: String

    public init(_ operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }

    /// An error for `operation` carrying, and clearing, this thread's OpenSSL
    /// error queue; `fallback` when the queue is empty.
    static func drainingQueue(_ operation: String, fallback: String = "failed") -> TLSError {
        TLSError(operation, message: takeErrorQueue() ?? fallback)
    }

    /// Empties this thread's OpenSSL error queue into one string; nil when empty.
    static func takeErrorQueue() -> String? {
        var lines: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            lines.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }
}
