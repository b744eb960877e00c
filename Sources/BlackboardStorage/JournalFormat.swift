// The journal file: a header, then framed records. Pure: encodes and scans
// byte arrays; Journal.swift does the file I/O. All integers little-endian.
//
// Header (24 bytes)
//   0   8  magic "BBJOURNL" (42 42 4a 4f 55 52 4e 4c)
//   8   4  u32 format version (1)
//   12  8  u64 generation: the snapshot generation this journal continues
//   20  4  u32 CRC-32 of bytes 0..<20
//
// Record frame, repeated to the end of the file (12 + L bytes)
//   0   4  u32 L, the payload length, 1...maxRecordBytes (64 MiB)
//   4   4  u32 CRC-32 of bytes 0..<4 (the length check)
//   8   4  u32 CRC-32 of the payload
//   12  L  payload
//
// Record payload (the format version above covers it)
//   0   1  u8 tag: 1 subscribe, 2 unsubscribe, 3 register, 4 unregister,
//              5 acknowledge, 6 disconnected, 7 reconnected, 8 add, 9 remove
//   1   2  u16 URI length U (at most 4096), then U bytes of UTF-8
//   then, by tag:
//     subscribe     u32 lease seconds, u32 entry count N, then N entries:
//                   u8 kind (0 exact, 1 below `prefix.>`, 2 all `>`),
//                   u16 length, the concept or prefix bytes (empty for all)
//     add, remove   u32 entry count N, then N entries as in subscribe
//     register      u32 lease seconds
//     acknowledge   u64 version
//     disconnected  u8 role (1 subscriber, 2 publisher), u64 Unix seconds
//     reconnected   u8 role
//     others        nothing
//
// Recovery rule (torn tail versus damage). Each append is one write() of one
// whole frame, so a crash mid-write leaves a prefix of the last frame, or (on
// file systems that extend the size before the data lands) a last frame whose
// bytes read as zeros or garbage. Scanning frame by frame from offset 24:
//   - fewer than 12 bytes left: torn tail.
//   - every byte from here to the end is zero: torn tail (unwritten extension).
//   - the length check fails: damage. A prefix of a real frame that holds all
//     12 header bytes has a correct check, so a bad one is never a torn write;
//     this is what stops a flipped length bit from passing as a "record that
//     runs past the end" and cutting off every record after it.
//   - L is 0 or above the limit: damage (a writer never writes it).
//   - the frame runs past the end of the file: torn tail.
//   - the payload CRC fails: torn tail if the frame ends exactly at the end of
//     the file (its data never reached the disk), damage otherwise.
//   - the payload passes its CRC but does not decode: damage, wherever it is.
// A torn tail is reported with its offset and length, and cut by the writer;
// damage is an error naming the frame's offset, and loading stops.

/// The journal's byte format.
public enum JournalFormat {
    /// The file's first 8 bytes.
    public static let magic: [UInt8] = Array("BBJOURNL".utf8)
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    /// The header's length in bytes.
    public static let headerBytes = 24
    /// A record frame's header length in bytes.
    public static let frameHeaderBytes = 12
    /// The largest payload; a corrupt length can never make a reader allocate more.
    public static let maxRecordBytes = 64 << 20

    /// The header of a journal of `generation`.
    public static func header(generation: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.append(contentsOf: magic)
        writer.u32(version)
        writer.u64(generation)
        writer.u32(Zlib.crc32(writer.bytes))
        return writer.bytes
    }

    /// One framed record. O(size of the record).
    public static func frame(_ record: StorageRecord) -> [UInt8] {
        let payload = RecordCodec.encode(record)
        precondition(payload.count <= maxRecordBytes, "record larger than \(maxRecordBytes) bytes")
        var writer = ByteWriter()
        writer.u32(UInt32(payload.count))
        writer.u32(Zlib.crc32(writer.bytes))
        writer.u32(Zlib.crc32(payload))
        writer.bytes.append(contentsOf: payload)
        return writer.bytes
    }

    /// How a scanned journal ends.
    public enum Tail: Equatable, Sendable {
        /// The last frame is whole.
        case clean
        /// An incomplete last frame from `offset` to the end, `bytes` long, to be cut.
        case torn(offset: Int, bytes: Int)
    }

    /// What a journal holds.
    public struct Scan: Equatable, Sendable {
        /// The header's generation.
        public var generation: UInt64
        /// The whole records, in order.
        public var records: [StorageRecord]
        /// Each record's frame offset.
        public var offsets: [Int]
        /// Where the whole records end (the length to truncate a torn tail to).
        public var validBytes: Int
        /// How the file ends.
        public var tail: Tail
    }

    /// Checks a header (the magic, the version, the header CRC) and returns the generation.
    public static func readHeader(_ bytes: [UInt8]) throws(StorageError) -> UInt64 {
        try checkMagicAndVersion(bytes, magic: magic, version: version, headerBytes: headerBytes)
        guard Zlib.crc32(bytes[0..<20]) == UInt32(littleEndian(bytes, at: 20, width: 4)) else {
            throw StorageError(.headerChecksum, offset: 0)
        }
        return littleEndian(bytes, at: 12, width: 8)
    }

    /// Scans a whole journal file by the recovery rule above. O(file size).
    /// Errors carry the offset of the damaged frame (0 for the header), no file name.
    public static func scan(_ bytes: [UInt8]) throws(StorageError) -> Scan {
        var scan = Scan(generation: try readHeader(bytes), records: [], offsets: [], validBytes: headerBytes, tail: .clean)
        var offset = headerBytes
        while offset < bytes.count {
            let left = bytes.count - offset
            let torn = Tail.torn(offset: offset, bytes: left)
            if left < frameHeaderBytes || bytes[offset...].allSatisfy({ $0 == 0 }) { scan.tail = torn; break }
            let length = littleEndian(bytes, at: offset, width: 4)
            guard Zlib.crc32(bytes[offset..<(offset + 4)]) == UInt32(littleEndian(bytes, at: offset + 4, width: 4)) else {
                throw StorageError(.lengthChecksum, offset: offset)
            }
            guard length > 0, length <= UInt64(maxRecordBytes) else {
                throw StorageError(.badLength(length, limit: maxRecordBytes), offset: offset)
            }
            let end = offset + frameHeaderBytes + Int(length)
            if end > bytes.count { scan.tail = torn; break }
            let payload = bytes[(offset + frameHeaderBytes)..<end]
            guard Zlib.crc32(payload) == UInt32(littleEndian(bytes, at: offset + 8, width: 4)) else {
                if end == bytes.count { scan.tail = torn; break }
                throw StorageError(.payloadChecksum, offset: offset)
            }
            do {
                scan.records.append(try RecordCodec.decode(payload))
            } catch {
                throw StorageError(error.reason, offset: offset)
            }
            scan.offsets.append(offset)
            offset = end
            scan.validBytes = end
        }
        return scan
    }
}

/// Refuses a file shorter than its header, with another magic, or of another version.
func checkMagicAndVersion(_ bytes: [UInt8], magic: [UInt8], version: UInt32, headerBytes: Int) throws(StorageError) {
    guard bytes.count >= magic.count, bytes.starts(with: magic) else {
        throw StorageError(.badMagic(expected: magic, found: Array(bytes.prefix(magic.count))), offset: 0)
    }
    guard bytes.count >= magic.count + 4 else { throw StorageError(.truncatedHeader(length: bytes.count), offset: 0) }
    let found = UInt32(littleEndian(bytes, at: magic.count, width: 4))
    guard found == version else { throw StorageError(.unsupportedVersion(found: found, supported: version), offset: 0) }
    guard bytes.count >= headerBytes else { throw StorageError(.truncatedHeader(length: bytes.count), offset: 0) }
}
