#if canImport(Glibc)
import Glibc
#endif

/// Why a notification could not be sent.
struct NotifyError: Error, CustomStringConvertible {
    /// What failed: a system call's name, or a description of a bad address.
    let operation: String
    /// The `errno` value, or 0 when the address itself is unusable.
    let code: Int32

    var description: String {
        code == 0 ? operation : "\(operation): \(String(cString: strerror(code)))"
    }
}
