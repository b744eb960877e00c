/// A session's pending output: raw bytes, of which `[start, end)` are still to
/// be written.
///
/// Deliveries are encoded straight into it (``append(maximum:_:)``), so the
/// publish path does no per-byte bounds or copy-on-write checks.
///
/// Storage policy on draining: a buffer that never grew past its first
/// allocation is freed, so an idle connection holds no output memory; one that
/// grew is kept, since regrowing it batch after batch (copies, and for large
/// blocks fresh mmaps faulting in page by page) costs a busy subscriber more
/// than its writes; a huge one is freed. Used only on the broker's queue.
///
/// A noncopyable struct, stored inline in its session: appending on the publish
/// path touches no reference count.
struct OutputBuffer: ~Copyable {
    private var storage: UnsafeMutableRawPointer?
    private(set) var capacity = 0
    private var start = 0
    private var end = 0

    /// Capacity kept after the buffer drains: above `minimumCapacity`, up to this.
    static let retainedCapacity = 1 << 20
    /// The first allocation; a drained buffer of this size is freed.
    static let minimumCapacity = 4 << 10

    init() {}

    deinit { storage?.deallocate() }

    /// Bytes queued and not yet written.
    @inline(__always)
    var pending: Int { end - start }

    /// Calls `body` with room for `maximum` bytes after the pending ones;
    /// `body` writes there and returns how many bytes it wrote.
    @inline(__always)
    mutating func append(maximum: Int, _ body: (UnsafeMutableRawPointer) -> Int) {
        if capacity - end < maximum { makeRoom(for: maximum) }
        let written = body(storage.unsafelyUnwrapped + end)
        precondition(written <= maximum, "OutputBuffer: wrote past the reserved room")
        end += written
    }

    /// Appends `bytes`.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        append(maximum: bytes.count) { out in
            out.copyMemory(from: base, byteCount: bytes.count)
            return bytes.count
        }
    }

    /// Calls `body` with the pending bytes.
    func withPending<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: storage.map { $0 + start }, count: pending))
    }

    /// Marks `count` pending bytes as written. A drained buffer starts over at
    /// offset 0, and frees its storage unless it is mid-sized (see above).
    mutating func consume(_ count: Int) {
        start += count
        guard start == end else { return }
        start = 0
        end = 0
        if capacity <= OutputBuffer.minimumCapacity || capacity > OutputBuffer.retainedCapacity { release() }
    }

    /// Drops everything pending and keeps the storage unless it is huge: for
    /// a scratch buffer reused message after message.
    mutating func clear() {
        start = 0
        end = 0
        if capacity > OutputBuffer.retainedCapacity { release() }
    }

    /// Drops everything pending and frees the storage.
    mutating func release() {
        storage?.deallocate()
        storage = nil
        capacity = 0
        start = 0
        end = 0
    }

    /// Moves pending bytes to the front, then grows geometrically if that is
    /// not room enough.
    private mutating func makeRoom(for count: Int) {
        if start > 0, let storage {
            storage.copyMemory(from: storage + start, byteCount: end - start)
            end -= start
            start = 0
        }
        guard capacity - end < count else { return }
        let grown = Swift.max(end + count, capacity * 2, OutputBuffer.minimumCapacity)
        let replacement = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
        if let storage {
            replacement.copyMemory(from: storage, byteCount: end)
            storage.deallocate()
        }
        storage = replacement
        capacity = grown
    }
}
