// The order of profile entries: their wire forms (`concept`, `prefix.>`, `>`)
// compared byte by byte, as PROTOCOL.md sorts every entry list (DELTA: all `+`
// lines first, each group sorted; PROFILE sorted).
//
// The wire form is the stored bytes followed by a suffix that only the kind
// determines: nothing for `exact`, `.>` for `below`, `>` for `all` (whose bytes
// are empty). So two entries compare by their stored bytes, eight at a time, and
// only when one's bytes are a prefix of the other's do at most two suffix bytes
// decide. No wire form is built and nothing is retained or allocated.

extension ProfileEntry {
    /// The byte at `offset` of the suffix the wire form adds to the stored bytes.
    @inline(__always)
    private static func suffixByte(_ kind: Kind, _ offset: Int) -> UInt8 {
        kind == .below && offset == 0 ? UInt8(ascii: ".") : UInt8(ascii: ">")
    }

    @inline(__always)
    private static func suffixLength(_ kind: Kind) -> Int {
        switch kind {
        case .exact: return 0
        case .below: return 2
        case .all: return 1
        }
    }

    /// Compares the wire forms of `lhs` and `rhs` byte by byte: negative when `lhs`
    /// comes first, 0 when they are equal, positive otherwise. O(common prefix / 8).
    static func wireOrder(_ lhs: ProfileEntry, _ rhs: ProfileEntry) -> Int {
        lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                wireOrder(left, lhs.kind, right, rhs.kind)
            }
        }
    }

    /// ``wireOrder(_:_:)`` on stored bytes and kinds.
    static func wireOrder(
        _ left: UnsafeRawBufferPointer, _ leftKind: Kind, _ right: UnsafeRawBufferPointer, _ rightKind: Kind
    ) -> Int {
        let common = min(left.count, right.count)
        var offset = 0
        if common > 0 {
            let l = left.baseAddress.unsafelyUnwrapped
            let r = right.baseAddress.unsafelyUnwrapped
            while offset &+ 8 <= common {
                let a = l.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let b = r.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                // Big-endian values compare like the bytes they hold.
                if a != b { return UInt64(bigEndian: a) < UInt64(bigEndian: b) ? -1 : 1 }
                offset &+= 8
            }
            while offset < common {
                let a = l.load(fromByteOffset: offset, as: UInt8.self)
                let b = r.load(fromByteOffset: offset, as: UInt8.self)
                if a != b { return a < b ? -1 : 1 }
                offset &+= 1
            }
        }
        // One side's stored bytes are a prefix of the other's: past them come at
        // most two suffix bytes on the shorter side.
        let leftLength = left.count + suffixLength(leftKind)
        let rightLength = right.count + suffixLength(rightKind)
        while offset < leftLength && offset < rightLength {
            let a = offset < left.count ? left[offset] : suffixByte(leftKind, offset - left.count)
            let b = offset < right.count ? right[offset] : suffixByte(rightKind, offset - right.count)
            if a != b { return a < b ? -1 : 1 }
            offset += 1
        }
        return leftLength < rightLength ? -1 : (leftLength == rightLength ? 0 : 1)
    }
}
