// CRC-32 and a stored-block zlib stream, so the storage targets can build files whose
// checksums are right and reach the decoders behind them (libFuzzer does not guess a
// CRC-32). BlackboardStorage keeps its zlib binding internal; these are the textbook
// algorithms, checked against it by the round trips in the targets themselves.

/// The IEEE CRC-32 of `bytes` (zlib's `crc32`, as in gzip and PNG).
public func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
    }
    return ~crc
}

private let crcTable: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
}

/// `bytes` as a zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00):
/// no compression, so no zlib needed to write it.
public func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var start = 0
    repeat {
        let end = min(start + 65535, bytes.count)
        let length = UInt16(end - start)
        out.append(end == bytes.count ? 1 : 0)
        out += littleEndianBytes(UInt64(length), width: 2)
        out += littleEndianBytes(UInt64(~length), width: 2)
        out += bytes[start..<end]
        start = end
    } while start < bytes.count
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in bytes {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    let adler = (b << 16) | a
    out += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    return out
}

/// `value`'s low `width` bytes, little-endian.
public func littleEndianBytes(_ value: UInt64, width: Int) -> [UInt8] {
    (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}
