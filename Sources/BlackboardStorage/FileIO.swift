// The system calls of BlackboardStorage, each wrapped once: EINTR is retried,
// a failure becomes a StorageError naming the call, the path and errno.

#if canImport(Glibc)
import Glibc
#endif

enum FileIO {
    static func fail(_ call: String, _ path: String) -> StorageError {
        StorageError(.system(call: call, errno: errno), file: path)
    }

    /// Opens `path` with `flags` (mode 0644 when created), retrying EINTR.
    static func open(_ path: String, _ flags: Int32) throws(StorageError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            if errno != EINTR { throw fail("open", path) }
        }
    }

    /// The whole file, or nil when it does not exist. O(file size).
    static func read(_ path: String) throws(StorageError) -> [UInt8]? {
        let fd: Int32
        do { fd = try open(path, O_RDONLY) } catch {
            if case .system(_, ENOENT) = error.reason { return nil }
            throw error
        }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("read", path)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes all of `bytes` at the file position, retrying short writes and EINTR.
    static func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("write", path)
            }
            done += count
        }
    }

    static func fsync(_ fd: Int32, path: String) throws(StorageError) {
        while Glibc.fsync(fd) != 0 { if errno != EINTR { throw fail("fsync", path) } }
    }

    /// fsyncs a directory, making renames and creations in it durable.
    static func fsyncDirectory(_ path: String) throws(StorageError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { Glibc.close(fd) }
        try fsync(fd, path: path)
    }

    static func truncate(_ fd: Int32, to length: Int, path: String) throws(StorageError) {
        while Glibc.ftruncate(fd, off_t(length)) != 0 { if errno != EINTR { throw fail("ftruncate", path) } }
    }

    static func rename(_ from: String, _ to: String) throws(StorageError) {
        if Glibc.rename(from, to) != 0 { throw fail("rename", to) }
    }

    /// Removes `path`; a missing file is not an error.
    static func remove(_ path: String) throws(StorageError) {
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw fail("unlink", path) }
    }

    /// Creates `bytes` at `path` atomically: temp file, write, fsync, rename, fsync the directory.
    static func replace(_ path: String, with bytes: [UInt8], directory: String) throws(StorageError) {
        let temporary = path + ".tmp"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try write(fd, bytes, path: temporary)
            try fsync(fd, path: temporary)
        } catch {
            Glibc.close(fd)
            throw error
        }
        Glibc.close(fd)
        try rename(temporary, path)
        try fsyncDirectory(directory)
    }
}
