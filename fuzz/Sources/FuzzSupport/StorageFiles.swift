// Journal and snapshot files built around arbitrary payloads with correct framing and
// checksums (layouts: Sources/BlackboardStorage/JournalFormat.swift, SnapshotFormat.swift).

/// A journal of `generation` whose frames carry `payloads` verbatim.
public func journalFile(generation: UInt64, payloads: [[UInt8]]) -> [UInt8] {
    var header = Array("BBJOURNL".utf8) + littleEndianBytes(1, width: 4) + littleEndianBytes(generation, width: 8)
    header += littleEndianBytes(UInt64(crc32(header)), width: 4)
    for payload in payloads {
        let length = littleEndianBytes(UInt64(payload.count), width: 4)
        header += length + littleEndianBytes(UInt64(crc32(length)), width: 4)
        header += littleEndianBytes(UInt64(crc32(payload)), width: 4) + payload
    }
    return header
}

/// A snapshot of `generation` whose body is `body` verbatim.
public func snapshotFile(generation: UInt64, body: [UInt8]) -> [UInt8] {
    var header = Array("BBSNAPSH".utf8) + littleEndianBytes(1, width: 4) + littleEndianBytes(generation, width: 8)
    header += littleEndianBytes(UInt64(body.count), width: 8) + littleEndianBytes(UInt64(crc32(body)), width: 4)
    header += littleEndianBytes(UInt64(crc32(header)), width: 4)
    return header + zlibStored(body)
}

/// Cuts `bytes` into payloads: a length byte, then up to that many bytes, repeated.
/// A length of 0 stands for 1 (a journal frame never has an empty payload).
public func payloads(_ bytes: ArraySlice<UInt8>) -> [[UInt8]] {
    var rest = bytes
    var out: [[UInt8]] = []
    while let length = rest.popFirst() {
        let payload = rest.prefix(max(Int(length), 1))
        rest = rest.dropFirst(payload.count)
        if !payload.isEmpty { out.append(Array(payload)) }
    }
    return out
}
