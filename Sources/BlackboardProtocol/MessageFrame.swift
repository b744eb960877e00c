import BlackboardCore

/// The broker's hot path: `MSG` frames written straight into raw memory.
///
/// A frame is split in two so that the part every subscriber of the same pairs
/// shares is encoded once per message, not once per delivery:
///
///     head  = "MSG " seq                            (per subscriber)
///     tail  = " " n stamp records…                  (per selection of pairs)
///     stamp = " " publisher " " ts CRLF             (per publisher and read)
///
/// The caller keeps a stamp (``encodeStamp(publisher:timestamp:into:)``, at most
/// ``stampCapacity(publisher:)`` bytes), reserves ``maxHeadSize`` plus
/// ``tailCapacity(stamp:pairs:selected:)`` bytes, then writes with
/// ``encodeHead(sequence:into:)`` and ``encodeTail(stamp:storage:pairs:selected:into:)``;
/// all return the number of bytes written. No allocation, no bounds or
/// uniqueness checks: the capacity functions are the contract.
public enum MessageFrame {
    /// The most bytes ``encodeHead(sequence:into:)`` writes: `MSG ` and 20 digits.
    public static let maxHeadSize = 4 + 20

    /// The most bytes a stamp for a publisher URI of `publisher` bytes can take.
    public static func stampCapacity(publisher: Int) -> Int { 1 + publisher + 1 + 20 + 2 }

    /// Writes ` publisher ts CRLF`.
    public static func encodeStamp(
        publisher: UnsafeRawBufferPointer, timestamp: UInt64, into out: UnsafeMutableRawPointer
    ) -> Int {
        var writer = RawWriter(out)
        writer.put(ASCII.space)
        writer.put(publisher)
        writer.put(ASCII.space)
        writer.putDecimal(timestamp)
        writer.putEOL()
        return writer.written(since: out)
    }

    /// The most bytes a tail for `selected` pairs (every pair when nil) can take.
    public static func tailCapacity(
        stamp: Int, pairs: UnsafeBufferPointer<PairSpan>, selected: UnsafeBufferPointer<Int32>?
    ) -> Int {
        var size = 1 + 20 + stamp
        if let selected {
            for index in selected { size += recordCapacity(pairs[Int(index)]) }
        } else {
            for span in pairs { size += recordCapacity(span) }
        }
        return size
    }

    /// Writes `MSG seq`.
    public static func encodeHead(sequence: UInt64, into out: UnsafeMutableRawPointer) -> Int {
        var writer = RawWriter(out)
        writer.put("MSG ")
        writer.putDecimal(sequence)
        return writer.written(since: out)
    }

    /// Writes `MSG seq` with the digits `sequence` keeps spelled out.
    @inline(__always)
    public static func encodeHead(sequence: SequenceCounter, into out: UnsafeMutableRawPointer) -> Int {
        out.storeBytes(of: (0x2047_534D as UInt32).littleEndian, as: UInt32.self)  // "MSG ", in memory order
        return 4 + sequence.write(into: out + 4)
    }

    /// Writes ` n`, the stamp and one record per selected pair (every pair, in
    /// order, when `selected` is nil).
    public static func encodeTail(
        stamp: UnsafeRawBufferPointer, storage: UnsafeRawBufferPointer,
        pairs: UnsafeBufferPointer<PairSpan>, selected: UnsafeBufferPointer<Int32>?,
        into out: UnsafeMutableRawPointer
    ) -> Int {
        var writer = RawWriter(out)
        writer.put(ASCII.space)
        writer.putDecimal(UInt64(selected?.count ?? pairs.count))
        writer.put(stamp)
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
struct RawWriter {
    var cursor: UnsafeMutableRawPointer

    @inline(__always)
    init(_ start: UnsafeMutableRawPointer) { cursor = start }

    @inline(__always)
    func written(since start: UnsafeMutableRawPointer) -> Int { cursor - start }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        cursor.storeBytes(of: byte, as: UInt8.self)
        cursor += 1
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        cursor.copyMemory(from: base, byteCount: bytes.count)
        cursor += bytes.count
    }

    @inline(__always)
    mutating func put(_ literal: StaticString) {
        cursor.copyMemory(from: literal.utf8Start, byteCount: literal.utf8CodeUnitCount)
        cursor += literal.utf8CodeUnitCount
    }

    @inline(__always)
    mutating func putEOL() {
        put(0x0D)  // CR
        put(0x0A)  // LF
    }

    /// `value` in decimal, written back to front two digits at a time.
    @inline(__always)
    mutating func putDecimal(_ value: UInt64) {
        let width = RawWriter.decimalWidth(value)
        var position = cursor + width
        var rest = value
        RawWriter.digitPairs.withUTF8Buffer { pairs in
            while rest >= 100 {
                let pair = Int(rest % 100) &* 2
                rest /= 100
                position -= 2
                position.storeBytes(of: pairs[pair], as: UInt8.self)
                (position + 1).storeBytes(of: pairs[pair + 1], as: UInt8.self)
            }
            if rest >= 10 {
                let pair = Int(rest) &* 2
                position -= 2
                position.storeBytes(of: pairs[pair], as: UInt8.self)
                (position + 1).storeBytes(of: pairs[pair + 1], as: UInt8.self)
            } else {
                (position - 1).storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest), as: UInt8.self)
            }
        }
        cursor += width
    }

    static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// The number of decimal digits of `value` (1 for 0).
    @inline(__always)
    static func decimalWidth(_ value: UInt64) -> Int {
        var width = 1
        var bound: UInt64 = 10
        while width < 20 && value >= bound {
            width += 1
            bound &*= 10
        }
        return width
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
