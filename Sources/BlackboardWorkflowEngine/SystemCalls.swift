// The file system calls of BlackboardWorkflowEngine, each wrapped once: EINTR is
// retried, short reads and writes are continued, and a failure becomes an
// `EngineSystemError.system` naming the call, the path and errno.

#if canImport(Glibc)
import Glibc
#endif

enum SystemCalls {
    static func failure(_ call: String, _ path: String, _ code: Int32 = errno) -> EngineSystemError {
        .system(call: call, path: path, errno: code)
    }

    /// Opens `path` close-on-exec (mode 0644 when created), retrying EINTR.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(EngineSystemError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure("open", path) }
        }
    }

    /// Closes `fd`. Errors (only EINTR or EIO on Linux, after which the descriptor is gone) are ignored.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Reads up to `buffer.count` bytes at `offset`, retrying EINTR; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String)
        throws(EngineSystemError) -> Int
    {
        while true {
            let count = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw failure("read", path) }
        }
    }

    /// A small file read whole (a /proc or cgroup file), or nil when it cannot be
    /// opened or read: the process may have exited between listing and reading.
    /// Reads at most `limit` bytes.
    static func contents(of path: String, limit: Int = 1 << 16) -> [UInt8]? {
        guard let fd = try? open(path, O_RDONLY) else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = try? chunk.withUnsafeMutableBytes { (buffer) throws(EngineSystemError) in
                try read(fd, into: buffer, at: bytes.count, path: path)
            }
            guard let count else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Writes all of `bytes` at the file position, continuing short writes and retrying EINTR.
    static func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(EngineSystemError) {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            done += count
        }
    }

    static func fsync(_ fd: Int32, path: String) throws(EngineSystemError) {
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { throw failure("fsync", path) }
        }
    }

    /// fsyncs a directory, making a rename or creation in it durable.
    static func fsyncDirectory(_ path: String) throws(EngineSystemError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: path)
    }

    static func rename(_ from: String, _ to: String) throws(EngineSystemError) {
        if Glibc.rename(from, to) != 0 { throw failure("rename", to) }
    }

    /// Removes `path`; a missing file is not an error.
    static func unlink(_ path: String) {
        _ = Glibc.unlink(path)
    }

    /// The file's size, from `fstat`.
    static func size(_ fd: Int32, path: String) throws(EngineSystemError) -> Int {
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure("fstat", path) }
        return Int(info.st_size)
    }
}
