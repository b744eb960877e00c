#if canImport(Glibc)
import Glibc
#endif

/// Free and total space of the file system holding a directory: the fields of `res.disk`.
public struct DiskSpace: Equatable, Sendable {
    /// The directory that was measured.
    public var path: String
    /// Bytes available to an unprivileged process (`f_bavail`: excludes the blocks
    /// reserved for root, so it can be below what `df` calls free for root).
    public var freeBytes: UInt64
    /// The file system's size in bytes (`f_blocks`).
    public var totalBytes: UInt64

    public init(path: String, freeBytes: UInt64, totalBytes: UInt64) {
        self.path = path
        self.freeBytes = freeBytes
        self.totalBytes = totalBytes
    }

    /// Measures the file system holding `path` with `statvfs`.
    public static func measure(_ path: String) throws(EngineSystemError) -> DiskSpace {
        var info = statvfs()
        while statvfs(path, &info) != 0 {
            if errno != EINTR { throw SystemCalls.failure("statvfs", path) }
        }
        let unit = UInt64(info.f_frsize)
        return DiskSpace(path: path, freeBytes: UInt64(info.f_bavail) * unit, totalBytes: UInt64(info.f_blocks) * unit)
    }
}
