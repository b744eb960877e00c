// The binary encoding of one StorageRecord (a journal record's payload, and
// each record of a snapshot body). Pure: no I/O. The byte layout is in
// JournalFormat.swift, "Record payload".

import BlackboardCore

/// Encodes and decodes record payloads.
public enum RecordCodec {
    /// The longest URI a record may carry, in bytes.
    public static let maxURIBytes = 4096

    private enum Tag: UInt8 {
        case subscribe = 1, unsubscribe, register, unregister, acknowledge, disconnected, reconnected, add, remove
    }

    /// The payload of `record`. O(size of the record). URIs over `maxURIBytes` trap:
    /// the broker never accepts them.
    public static func encode(_ record: StorageRecord) -> [UInt8] {
        var writer = ByteWriter()
        encode(record, into: &writer)
        return writer.bytes
    }

    static func encode(_ record: StorageRecord, into writer: inout ByteWriter) {
        func head(_ tag: Tag, _ uri: String) {
            precondition(uri.utf8.count <= maxURIBytes, "URI longer than \(maxURIBytes) bytes")
            writer.u8(tag.rawValue)
            writer.short(uri.utf8)
        }
        func entryList(_ entries: [ProfileEntry]) {
            writer.u32(UInt32(entries.count))
            for entry in entries {
                writer.u8(entry.kind.rawValue)
                writer.short(entry.bytes)
            }
        }
        switch record {
        case let .subscribe(uri, entries, lease):
            head(.subscribe, uri)
            writer.u32(lease)
            entryList(entries)
        case let .add(uri, entries): head(.add, uri); entryList(entries)
        case let .remove(uri, entries): head(.remove, uri); entryList(entries)
        case let .unsubscribe(uri): head(.unsubscribe, uri)
        case let .register(uri, lease): head(.register, uri); writer.u32(lease)
        case let .unregister(uri): head(.unregister, uri)
        case let .acknowledge(uri, version): head(.acknowledge, uri); writer.u64(version)
        case let .disconnected(uri, role, at): head(.disconnected, uri); writer.u8(role.rawValue); writer.u64(at)
        case let .reconnected(uri, role): head(.reconnected, uri); writer.u8(role.rawValue)
        }
    }

    /// Decodes a whole payload; trailing bytes, unknown tags or kinds, invalid entries
    /// and invalid UTF-8 are errors (without offset: the caller knows the frame's).
    public static func decode(_ payload: ArraySlice<UInt8>) throws(StorageError) -> StorageRecord {
        var reader = ByteReader(payload)
        let record = try decode(from: &reader)
        guard reader.isAtEnd else { throw StorageError(.undecodable("\(reader.remaining) bytes after the record")) }
        return record
    }

    static func decode(from reader: inout ByteReader) throws(StorageError) -> StorageRecord {
        let rawTag = try reader.u8()
        guard let tag = Tag(rawValue: rawTag) else { throw StorageError(.undecodable("unknown record tag \(rawTag)")) }
        let uri = try reader.string()
        guard uri.utf8.count <= maxURIBytes else { throw StorageError(.undecodable("URI longer than \(maxURIBytes)")) }
        switch tag {
        case .subscribe:
            let lease = try reader.u32()
            return .subscribe(uri: uri, entries: try entryList(from: &reader), leaseSeconds: lease)
        case .add: return .add(uri: uri, entries: try entryList(from: &reader))
        case .remove: return .remove(uri: uri, entries: try entryList(from: &reader))
        case .unsubscribe: return .unsubscribe(uri: uri)
        case .register: return .register(uri: uri, leaseSeconds: try reader.u32())
        case .unregister: return .unregister(uri: uri)
        case .acknowledge: return .acknowledge(uri: uri, version: try reader.u64())
        case .disconnected: return .disconnected(uri: uri, role: try role(from: &reader), at: try reader.u64())
        case .reconnected: return .reconnected(uri: uri, role: try role(from: &reader))
        }
    }

    private static func entryList(from reader: inout ByteReader) throws(StorageError) -> [ProfileEntry] {
        let count = Int(try reader.u32())
        // Each entry takes at least 3 bytes: refuse a count the payload cannot hold before allocating.
        guard count <= reader.remaining / 3 else { throw StorageError(.undecodable("entry count \(count) too large")) }
        var entries: [ProfileEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count { entries.append(try entry(from: &reader)) }
        return entries
    }

    private static func role(from reader: inout ByteReader) throws(StorageError) -> Role {
        let raw = try reader.u8()
        guard let role = Role(rawValue: raw) else { throw StorageError(.undecodable("unknown role \(raw)")) }
        return role
    }

    /// An entry is re-parsed from its wire form, so a decoded entry is always a valid one.
    private static func entry(from reader: inout ByteReader) throws(StorageError) -> ProfileEntry {
        let rawKind = try reader.u8()
        let bytes = try reader.short()
        let wire: [UInt8]
        switch ProfileEntry.Kind(rawValue: rawKind) {
        case .exact: wire = Array(bytes)
        case .below: wire = bytes + [UInt8(ascii: "."), UInt8(ascii: ">")]
        case .all: wire = [UInt8(ascii: ">")]
        case nil: throw StorageError(.undecodable("unknown entry kind \(rawKind)"))
        }
        guard let entry = try? ProfileEntry(parsing: wire), entry.kind.rawValue == rawKind, entry.bytes.elementsEqual(bytes)
        else { throw StorageError(.undecodable("invalid profile entry")) }
        return entry
    }
}
