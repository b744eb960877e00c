#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which one, and the `errno` it left.
public struct SocketError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call that failed, e.g. `bind`.
    public let operation: String
    /// The `errno` value (0 when the failure was not a system error, e.g. an unresolvable host).
    public let code: Int32
    /// Extra context, e.g. the address that could not be bound.
    public let detail: String

    public init(_ operation: String, code: Int32, detail: String = "") {
        self.operation = operation
        self.code = code
        self.detail = detail
    }

    public var description: String {
        let reason = code == 0 ? "failed" : String(cString: strerror(code))
        return detail.isEmpty ? "\(operation): \(reason)" : "\(operation) \(detail): \(reason)"
    }
}

/// The outcome of one non-blocking read or write.
public enum IOResult: Equatable, Sendable {
    /// This many bytes moved (never 0 for a read: end of stream is `.closed`).
    case transferred(Int)
    /// The call would block; wait for readiness.
    case wouldBlock
    /// The peer closed the stream (read returned 0, or write hit EPIPE/ECONNRESET).
    case closed
    /// Any other error.
    case failed(SocketError)
}
