#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to standard output and error: each line leaves at once,
/// so that a reader of a pipe (a test, `head`) sees every delivery as it comes.
enum Terminal {
    /// Writes `bytes` to standard output.
    static func write(_ bytes: [UInt8]) {
        write(bytes, to: 1)
    }

    /// Writes `line` and a newline to standard output.
    static func writeLine(_ line: String) {
        write(Array(line.utf8) + [0x0A], to: 1)
    }

    /// Writes `line` and a newline to standard error.
    static func writeError(_ line: String) {
        write(Array(line.utf8) + [0x0A], to: 2)
    }

    /// Exits the process with `status`.
    static func exit(_ status: Int32) -> Never {
        Glibc.exit(status)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
