// The snapshot file: a header, then the zlib-compressed encoding of a
// PersistedState. Pure: encodes and decodes byte arrays; DataDirectory.swift
// writes it atomically. All integers little-endian.
//
// Header (36 bytes)
//   0   8  magic "BBSNAPSH" (42 42 53 4e 41 50 53 48)
//   8   4  u32 format version (1)
//   12  8  u64 generation G: the state after every journal of generation < G
//   20  8  u64 uncompressed body length B, at most maxBodyBytes (1 GiB)
//   28  4  u32 CRC-32 of the uncompressed body
//   32  4  u32 CRC-32 of bytes 0..<32
//   36  .. a zlib stream (RFC 1950) that inflates to the B-byte body
//
// Body (B bytes)
//   0   4  u32 record count N
//   4   .. N times: u32 payload length, then a record payload (the layout in
//          JournalFormat.swift); applied in order to an empty state, they
//          rebuild it exactly (PersistedState.records).
//
// A snapshot is never torn: it is written to a temporary file and renamed, so
// any failed check (magic, version, CRCs, lengths, inflation, decoding) is
// damage and refuses the load.

/// The snapshot's byte format.
public enum SnapshotFormat {
    /// The file's first 8 bytes.
    public static let magic: [UInt8] = Array("BBSNAPSH".utf8)
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    /// The header's length in bytes.
    public static let headerBytes = 36
    /// The largest body a reader accepts.
    public static let maxBodyBytes = 1 << 30
    /// The most deflate can expand its input (zlib's documented limit is about 1032:1).
    static let maxExpansion: UInt64 = 1032

    /// A decoded snapshot.
    public struct Contents: Equatable, Sendable {
        /// The snapshot's generation.
        public var generation: UInt64
        /// The state it holds.
        public var state: PersistedState
        /// How many records rebuilt it.
        public var recordCount: Int
    }

    /// The whole file for `state` at `generation`. O(size of the state), plus compression.
    public static func encode(_ state: PersistedState, generation: UInt64) throws(StorageError) -> [UInt8] {
        let records = state.records
        var body = ByteWriter()
        body.u32(UInt32(records.count))
        for record in records {
            let payload = RecordCodec.encode(record)
            body.u32(UInt32(payload.count))
            body.bytes.append(contentsOf: payload)
        }
        var header = ByteWriter()
        header.bytes.append(contentsOf: magic)
        header.u32(version)
        header.u64(generation)
        header.u64(UInt64(body.bytes.count))
        header.u32(Zlib.crc32(body.bytes))
        header.u32(Zlib.crc32(header.bytes))
        return header.bytes + (try Zlib.compress(body.bytes))
    }

    /// Decodes a whole snapshot file. Errors carry an offset: 0 for the header,
    /// 36 for the compressed body, 36 + k for a record at byte k of the body.
    public static func decode(_ bytes: [UInt8]) throws(StorageError) -> Contents {
        try checkMagicAndVersion(bytes, magic: magic, version: version, headerBytes: headerBytes)
        guard Zlib.crc32(bytes[0..<32]) == UInt32(littleEndian(bytes, at: 32, width: 4)) else {
            throw StorageError(.headerChecksum, offset: 0)
        }
        let generation = littleEndian(bytes, at: 12, width: 8)
        let length = littleEndian(bytes, at: 20, width: 8)
        guard length >= 4, length <= UInt64(maxBodyBytes) else {
            throw StorageError(.badBody("body length \(length) outside 4...\(maxBodyBytes)"), offset: 0)
        }
        // Deflate expands at most 1032:1, so a claimed length beyond that of what follows the
        // header is a lie: refuse it before allocating (a tiny file cannot claim 1 GiB).
        let compressed = UInt64(bytes.count - headerBytes)
        guard length <= compressed * maxExpansion + 64 else {
            throw StorageError(.badBody("body length \(length) cannot come from \(compressed) compressed bytes"), offset: 0)
        }
        let body: [UInt8]
        do throws(StorageError) {
            body = try Zlib.decompress(bytes[headerBytes...], expected: Int(length))
        } catch {
            throw StorageError(error.reason, offset: headerBytes)
        }
        guard Zlib.crc32(body) == UInt32(littleEndian(bytes, at: 28, width: 4)) else {
            throw StorageError(.badBody("body CRC-32 mismatch"), offset: headerBytes)
        }
        var reader = ByteReader(body[...])
        var state = PersistedState()
        var count = 0
        do throws(StorageError) {
            let stated = Int(try reader.u32())
            for _ in 0..<stated {
                count += 1
                let payload = try reader.take(Int(try reader.u32()))
                state.apply(try RecordCodec.decode(payload))
            }
            guard reader.isAtEnd else { throw StorageError(.undecodable("\(reader.remaining) bytes after the last record")) }
        } catch {
            throw StorageError(error.reason, offset: headerBytes + reader.position)
        }
        return Contents(generation: generation, state: state, recordCount: count)
    }
}
