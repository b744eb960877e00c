#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's content all at once: a reader (or a crash) sees the old content
/// or the new, never a mix. For the engine's instance state files.
public enum AtomicFile {
    /// Writes `bytes` to `path`: a temporary file in the same directory (named
    /// `.NAME.tmp-PID-RANDOM`, mode `mode`), write, fsync, rename over `path`, fsync the
    /// directory. On failure the temporary file is removed and `path` is untouched.
    /// The directory must exist.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(EngineSystemError) {
        let (directory, name) = split(path)
        let temporary = "\(directory)/.\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        let fd = try SystemCalls.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        do {
            defer { SystemCalls.close(fd) }
            try SystemCalls.write(fd, bytes, path: temporary)
            try SystemCalls.fsync(fd, path: temporary)
        } catch {
            SystemCalls.unlink(temporary)
            throw error
        }
        do {
            try SystemCalls.rename(temporary, path)
        } catch {
            SystemCalls.unlink(temporary)
            throw error
        }
        try SystemCalls.fsyncDirectory(directory)
    }

    /// The directory (`.` for a bare name) and the last component of `path`.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
