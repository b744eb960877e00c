#if canImport(Glibc)
import Glibc
#endif

/// Where `blackboard log` writes: standard output, or a file of lines rotated by size.
///
/// Rotation (`maxBytes` > 0): before a line that would take the file past `maxBytes`,
/// FILE.(K−1) → FILE.K, …, FILE.1 → FILE.2, FILE → FILE.1 (each a rename, the oldest
/// replaced), and a new, empty FILE is opened; with `keep` 0 the old FILE is simply
/// removed. Rotation happens only between lines, so no line is ever split; a single line
/// longer than `maxBytes` gets a file of its own. A file that exists is appended to and
/// its size counts, so a restarted logger rotates as if it had never stopped.
///
/// Each line is one `write(2)` on a descriptor opened with `O_APPEND`: it reaches the
/// kernel as it arrives (readers see it at once, and a killed logger loses nothing it
/// wrote), but it is not fsynced, so a machine crash may lose the last lines.
final class LogFile {
    /// The file, or nil for standard output.
    let path: String?
    let maxBytes: Int
    let keep: Int
    private var descriptor: Int32
    private var size: Int

    /// Standard output: no rotation.
    init() {
        path = nil
        maxBytes = 0
        keep = 0
        descriptor = 1
        size = 0
    }

    /// Opens `path` for appending (creating it, mode 0644).
    init(path: String, maxBytes: Int, keep: Int) throws(LogFileError) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
        descriptor = try Self.open(path)
        var status = stat()
        size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    }

    deinit {
        if path != nil && descriptor >= 0 { close(descriptor) }
    }

    /// Appends `line` (which ends with its newline), rotating first if it would not fit.
    func append(_ line: [UInt8]) throws(LogFileError) {
        if path != nil, maxBytes > 0, size > 0, size + line.count > maxBytes { try rotate() }
        var offset = 0
        while offset < line.count {
            let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, line.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { throw LogFileError(operation: "write", path: path ?? "standard output", code: errno) }
            offset += written
        }
        size += line.count
    }

    /// The file names a rotation shifts: FILE.1 … FILE.K.
    static func rotatedName(_ path: String, _ index: Int) -> String { "\(path).\(index)" }

    private func rotate() throws(LogFileError) {
        guard let path else { return }
        close(descriptor)
        descriptor = -1
        if keep == 0 {
            try Self.check(unlink(path), "unlink", path)
        } else {
            for index in stride(from: keep - 1, through: 1, by: -1) {
                try Self.check(rename(Self.rotatedName(path, index), Self.rotatedName(path, index + 1)), "rename", path)
            }
            try Self.check(rename(path, Self.rotatedName(path, 1)), "rename", path)
        }
        descriptor = try Self.open(path)
        size = 0
    }

    private static func open(_ path: String) throws(LogFileError) -> Int32 {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw LogFileError(operation: "open", path: path, code: errno) }
        return descriptor
    }

    /// A missing file is no error for rotation (FILE.3 before there were three).
    private static func check(_ status: Int32, _ operation: String, _ path: String) throws(LogFileError) {
        if status != 0 && errno != ENOENT { throw LogFileError(operation: operation, path: path, code: errno) }
    }
}

/// A failed file operation of ``LogFile``.
struct LogFileError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let code: Int32

    var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}
