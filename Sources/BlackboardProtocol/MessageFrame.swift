import BlackboardCore

/// The broker's hot path: `MSG` frames written straight into raw memory.
///
/// A frame is split in two so that the part every subscriber of the same pairs
/// shares is encoded once per message, not once per delivery:
///
///     head = "MSG " seq                                  (per subscriber)
///     tail = " " n " " publisher " " ts CRLF records…     (per selection of pairs)
///
/// The caller reserves ``maxHeadSize`` plus ``tailCapacity(publisher:pairs:selected:)``
/// bytes, then writes with ``encodeHead(sequence:into:)`` and
/// ``encodeTail(publisher:timestamp:storage:pairs:selected:into:)``; both return
/// the number of bytes written. No allocation, no bounds or uniqueness checks:
/// the capacity functions are the contract.
public enum MessageFrame {
    /// The most bytes ``encodeHead(sequence:into:)`` writes: `MSG ` and 20 digits.
    public static let maxHeadSize = 4 + 20

    /// The most bytes a tail for `selected` pairs (every pair when nil) can take.
    public static func tailCapacity(
        publisher: Int, pairs: UnsafeBufferPointer<PairSpan>, selected: UnsafeBufferPointer<Int32>?
    ) -> Int {
        var size = 1 + 20 + 1 + publisher + 1 + 20 + 2
        if let selected {
            for index in selected { size += recordCapacity(pairs[Int(index)]) }
        } else {
            for span in pairs { size += recordCapacity(span) }
        }
        return size
    }

    /// Writes `MSG seq`.
    @inlinable @inline(__always)
    public static func encodeHead(sequence: UInt64, into out: UnsafeMutableRawPointer) -> Int {
        var writer = RawWriter(out)
        writer.put("MSG ")
        writer.putDecimal(sequence)
        return writer.written(since: out)
    }

    /// Writes ` n publisher ts CRLF` and one record per selected pair (every
    /// pair, in order, when `selected` is nil).
    public static func encodeTail(
        publisher: UnsafeRawBufferPointer, timestamp: UInt64, storage: UnsafeRawBufferPointer,
        pairs: UnsafeBufferPointer<PairSpan>, selected: UnsafeBufferPointer<Int32>?,
        into out: UnsafeMutableRawPointer
    ) -> Int {
        var writer = RawWriter(out)
        writer.put(ASCII.space)
        writer.putDecimal(UInt64(selected?.count ?? pairs.count))
        writer.put(ASCII.space)
        writer.put(publisher)
        writer.put(ASCII.space)
        writer.putDecimal(timestamp)
        writer.putEOL()
        if let selected {
            for index in selected { writer.putRecord(pairs[Int(index)], storage) }
        } else {
            for span in pairs { writer.putRecord(span, storage) }
        }
        return writer.written(since: out)
    }

    @inline(__always)
    static func recordCapacity(_ span: PairSpan) -> Int {
        span.concept.count + 1 + 20 + 2 + span.value.count + 2
    }
}

/// A cursor writing into memory the caller has sized.
@usableFromInline
struct RawWriter {
    @usableFromInline var cursor: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    init(_ start: UnsafeMutableRawPointer) { cursor = start }

    @inlinable @inline(__always)
    func written(since start: UnsafeMutableRawPointer) -> Int { cursor - start }

    @inlinable @inline(__always)
    mutating func put(_ byte: UInt8) {
        cursor.storeBytes(of: byte, as: UInt8.self)
        cursor += 1
    }

    @inlinable @inline(__always)
    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        cursor.copyMemory(from: base, byteCount: bytes.count)
        cursor += bytes.count
    }

    @inlinable @inline(__always)
    mutating func put(_ literal: StaticString) {
        cursor.copyMemory(from: literal.utf8Start, byteCount: literal.utf8CodeUnitCount)
        cursor += literal.utf8CodeUnitCount
    }

    @inlinable @inline(__always)
    mutating func putEOL() {
        put(0x0D)  // CR
        put(0x0A)  // LF
    }

    /// `value` in decimal: digits are counted first, then written back to front.
    @inlinable @inline(__always)
    mutating func putDecimal(_ value: UInt64) {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        rest = value
        var position = digits
        repeat {
            position -= 1
            (cursor + position).storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10), as: UInt8.self)
            rest /= 10
        } while position > 0
        cursor += digits
    }

    /// `concept SP nbytes CRLF value CRLF`.
    @inline(__always)
    mutating func putRecord(_ span: PairSpan, _ storage: UnsafeRawBufferPointer) {
        put(UnsafeRawBufferPointer(rebasing: storage[span.concept]))
        put(ASCII.space)
        putDecimal(UInt64(span.value.count))
        putEOL()
        put(UnsafeRawBufferPointer(rebasing: storage[span.value]))
        putEOL()
    }
}
