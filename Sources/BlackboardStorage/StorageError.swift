// The one error type of BlackboardStorage: what went wrong, in which file, at
// which byte offset. Every refusal to load names the file and the offset.

/// A failure to read, decode or write the data directory.
public struct StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Equatable, Sendable {
        /// The file does not start with the expected magic.
        case badMagic(expected: [UInt8], found: [UInt8])
        /// The file's format version is not one this build reads.
        case unsupportedVersion(found: UInt32, supported: UInt32)
        /// The file is shorter than its header.
        case truncatedHeader(length: Int)
        /// The header's own checksum does not match.
        case headerChecksum
        /// A record's length check does not match its length field.
        case lengthChecksum
        /// A record's length is zero or above the limit.
        case badLength(UInt64, limit: Int)
        /// A record's payload does not match its CRC-32.
        case payloadChecksum
        /// A payload passed its checksum but does not decode.
        case undecodable(String)
        /// A snapshot's body does not decompress to its stated length and CRC.
        case badBody(String)
        /// The snapshot and the journal do not belong together.
        case generationMismatch(snapshot: UInt64?, journal: UInt64?)
        /// Another process holds the directory's lock file.
        case locked
        /// A system call failed.
        case system(call: String, errno: Int32)
    }

    /// What went wrong.
    public var reason: Reason
    /// The file (a name inside the data directory, or a path), when one is concerned.
    public var file: String?
    /// The byte offset in `file` of the damaged header or record frame.
    public var offset: Int?

    /// An error about `file` at `offset`.
    public init(_ reason: Reason, file: String? = nil, offset: Int? = nil) {
        self.reason = reason
        self.file = file
        self.offset = offset
    }

    /// Whether this error says the stored data is damaged (as opposed to a failing system call or a lock).
    public var isDamage: Bool {
        switch reason {
        case .locked, .system: return false
        default: return true
        }
    }

    /// Whether this is damage to one journal or snapshot record (a frame that fails its
    /// checks or does not decode), as opposed to a header, generation or system error.
    public var isRecordDamage: Bool {
        switch reason {
        case .lengthChecksum, .badLength, .payloadChecksum, .undecodable: return true
        default: return false
        }
    }

    public var description: String {
        var text = file ?? "data directory"
        if let offset { text += " at offset \(offset)" }
        return text + ": " + reasonText
    }

    private var reasonText: String {
        switch reason {
        case let .badMagic(expected, found):
            return "bad magic \(hex(found)), expected \(hex(expected))"
        case let .unsupportedVersion(found, supported):
            return "unsupported format version \(found) (this build reads version \(supported))"
        case let .truncatedHeader(length): return "file of \(length) bytes is shorter than its header"
        case .headerChecksum: return "header checksum mismatch"
        case .lengthChecksum: return "damaged record: length check mismatch"
        case let .badLength(length, limit): return "damaged record: length \(length) outside 1...\(limit)"
        case .payloadChecksum: return "damaged record: CRC-32 mismatch"
        case let .undecodable(why): return "damaged record: \(why)"
        case let .badBody(why): return "damaged body: \(why)"
        case let .generationMismatch(snapshot, journal):
            return "snapshot generation \(snapshot.map(String.init) ?? "none") does not fit "
                + "journal generation \(journal.map(String.init) ?? "none")"
        case .locked: return "locked by another process"
        case let .system(call, errno): return "\(call) failed (errno \(errno))"
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}
