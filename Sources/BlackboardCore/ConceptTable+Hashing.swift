// The table's hash: eight bytes at a time from a per-process random basis. Each
// whole word is folded into the state by a 64x64->128-bit multiply (high and low
// halves xored), the last 0-7 bytes and the length by one more, then the murmur3
// 64-bit finaliser. About one multiply per 8 bytes, where FNV-1a took one per byte.
//
// It is a running hash: the state after the first k words of a key is the same
// for every key that starts with those 8k bytes, so a prefix's hash is that state
// plus the prefix's last partial word. ConceptTable+Matching.swift uses this to
// hash all dotted prefixes of a concept in one pass. The random basis only makes
// collisions harder to plan; it is not a keyed hash.

extension ConceptTable {
    /// Folds one 8-byte word into the running state: a 64x64->128-bit multiply
    /// whose halves are xored, so high and low bits both spread everywhere.
    @inline(__always)
    static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let product = (state ^ word).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return product.high ^ product.low
    }

    /// The hash of a key of `length` bytes: `state` has every whole word of the
    /// key folded in, `tail` holds the remaining 0-7 bytes (little-endian, zero
    /// above them). The length goes into the tail's unused top byte; the murmur3
    /// finaliser spreads the result over the whole word.
    @inline(__always)
    static func finish(_ state: UInt64, tail: UInt64, length: Int) -> UInt64 {
        var x = mix(state, tail | UInt64(UInt8(truncatingIfNeeded: length)) << 56)
        x ^= x &>> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x &>> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x &>> 33
        return x
    }

    /// The little-endian word of `bytes` at `offset`, which must have 8 bytes after it.
    @inline(__always)
    static func word(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The bytes of `bytes` from `offset` to the end (fewer than 8) as a
    /// little-endian word, zero above them.
    @inline(__always)
    static func tail(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> UInt64 {
        var word: UInt64 = 0
        var shift: UInt64 = 0
        for index in offset..<bytes.count {
            word |= UInt64(bytes[index]) << shift
            shift &+= 8
        }
        return word
    }

    /// The hash of `bytes`: whole words folded in with ``mix(_:_:)`` from the
    /// per-process basis, then ``finish(_:tail:length:)``. The state after the
    /// first k words is shared by every key that starts with those 8k bytes, which
    /// is what lets ConceptTable+Matching.swift hash all dotted prefixes of a
    /// concept in one pass. About one multiply per 8 bytes.
    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = basis
        let count = bytes.count
        var offset = 0
        while offset &+ 8 <= count {
            state = Self.mix(state, Self.word(bytes, at: offset))
            offset &+= 8
        }
        return Self.finish(state, tail: Self.tail(bytes, from: offset), length: count)
    }
}
