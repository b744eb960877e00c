// The one error type of the engine's I/O primitives (spawning, /proc, files).
// Each case names what the caller was doing, so a message like "working
// directory /x: No such file or directory" can be shown as it is.

#if canImport(Glibc)
import Glibc
#endif

/// A failure of one of the engine's system-level operations.
public enum EngineSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The working directory given for a child cannot be opened as a directory
    /// (missing, not a directory, not accessible). The child was not started.
    case workingDirectory(path: String, errno: Int32)
    /// The log file for a child's output cannot be opened for appending. The child was not started.
    case logFile(path: String, errno: Int32)
    /// An environment variable name is empty or contains `=` or NUL, or its value
    /// contains NUL. The child was not started.
    case invalidEnvironment(name: String)
    /// `posix_spawn` itself failed (e.g. `EAGAIN` at the process limit, `ENOENT` if
    /// `/bin/sh` is missing). A command the shell cannot find is not a spawn error:
    /// the shell exits with status 127.
    case spawn(errno: Int32)
    /// Any other system call failed: which one, on which path, with which `errno`.
    case system(call: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case let .workingDirectory(path, code): "working directory \(path): \(Self.text(code))"
        case let .logFile(path, code): "log file \(path): \(Self.text(code))"
        case let .invalidEnvironment(name): "invalid environment variable name or value: \(name.debugDescription)"
        case let .spawn(code): "posix_spawn /bin/sh: \(Self.text(code))"
        case let .system(call, path, code): "\(call) \(path): \(Self.text(code))"
        }
    }

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
