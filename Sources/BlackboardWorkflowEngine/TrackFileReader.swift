#if canImport(Glibc)
import Glibc
#endif

/// Follows the file an activity appends JSON lines to (`$BLACKBOARD_TRACK`),
/// returning each complete line once.
///
/// - The file need not exist yet: until it does, there are no lines.
/// - A line without its `\n` is kept back until the rest arrives, or until the
///   caller says the activity has ended (`atEnd`).
/// - A line over `lineLimit` bytes is skipped and reported as `.oversized`.
/// - If the file shrinks below what was read (truncated or replaced), reading
///   starts again from its beginning and a kept-back partial line is dropped.
///
/// The file is opened anew for each call, so a file created, replaced or removed
/// between calls is handled. A value type: the one engine thread that polls an
/// activity owns its reader.
public struct TrackFileReader: Sendable {
    /// The longest line accepted by default: 64 KiB.
    public static let defaultLineLimit = 64 * 1024

    /// The file followed.
    public let path: String
    /// How far the file has been read.
    public private(set) var offset = 0
    private var splitter: TrackLineSplitter

    /// A reader of `path` from its beginning, skipping lines over `lineLimit` bytes.
    public init(path: String, lineLimit: Int = TrackFileReader.defaultLineLimit) {
        self.path = path
        splitter = TrackLineSplitter(limit: lineLimit)
    }

    /// The lines completed since the last call, in file order. With `atEnd` (the
    /// activity has exited, nothing more will be written) an unterminated last line
    /// is returned too. Throws only if the file exists but cannot be read.
    public mutating func readNewLines(atEnd: Bool = false) throws(EngineSystemError) -> [TrackLine] {
        var lines: [TrackLine] = []
        let fd: Int32
        do {
            fd = try SystemCalls.open(path, O_RDONLY)
        } catch {
            guard case .system(_, _, ENOENT) = error else { throw error }
            return atEnd ? splitter.finish() : []
        }
        defer { SystemCalls.close(fd) }
        if try SystemCalls.size(fd, path: path) < offset {
            offset = 0
            splitter.reset()
        }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = try SystemCalls.read(fd, into: chunk, at: offset, path: path)
            if count == 0 { break }
            offset += count
            lines += splitter.append(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        if atEnd { lines += splitter.finish() }
        return lines
    }
}
