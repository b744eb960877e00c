// Little-endian writing and bounds-checked reading of the storage formats'
// fields. Pure: no I/O. The reader never traps on short or hostile input; it
// throws, and it checks a stated count against the bytes left before
// allocating anything for it.

/// Appends little-endian fields to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
    mutating func u32(_ value: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
    mutating func u64(_ value: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }

    /// A u16 length, then the bytes; the caller keeps `bytes` under 64 KiB.
    mutating func short(_ value: some Collection<UInt8>) {
        precondition(value.count <= Int(UInt16.max), "field longer than 65535 bytes")
        u16(UInt16(value.count))
        bytes.append(contentsOf: value)
    }
}

/// Reads little-endian fields from a byte slice; every read is bounds-checked.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private(set) var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func take(_ count: Int) throws(StorageError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw StorageError(.undecodable("field runs past the end")) }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func u8() throws(StorageError) -> UInt8 { try take(1).first! }
    mutating func u16() throws(StorageError) -> UInt16 { UInt16(try integer(2)) }
    mutating func u32() throws(StorageError) -> UInt32 { UInt32(try integer(4)) }
    mutating func u64() throws(StorageError) -> UInt64 { try integer(8) }

    /// A u16 length, then that many bytes.
    mutating func short() throws(StorageError) -> ArraySlice<UInt8> { try take(Int(try u16())) }

    /// A u16-length-prefixed UTF-8 string; invalid UTF-8 is an error.
    mutating func string() throws(StorageError) -> String {
        guard let text = String(validating: try short(), as: UTF8.self) else {
            throw StorageError(.undecodable("string is not valid UTF-8"))
        }
        return text
    }

    private mutating func integer(_ width: Int) throws(StorageError) -> UInt64 {
        var value: UInt64 = 0
        for (i, byte) in try take(width).enumerated() { value |= UInt64(byte) << (8 * i) }
        return value
    }
}

/// Reads a little-endian integer of `width` bytes at `offset`; the caller checked the bounds.
func littleEndian(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in 0..<width { value |= UInt64(bytes[offset + i]) << (8 * i) }
    return value
}
