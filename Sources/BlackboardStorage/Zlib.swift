// The only file that calls zlib: CRC-32 for checksums, compress2/uncompress
// for snapshot bodies. Pure computations over byte arrays.

import CZlib

enum Zlib {
    /// zlib's CRC-32 (the IEEE polynomial, as in gzip and PNG) of `bytes`. O(n).
    static func crc32(_ bytes: some Collection<UInt8>) -> UInt32 {
        let value = bytes.withContiguousStorageIfAvailable { buffer in
            CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count))
        } ?? Array(bytes).withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) }
        return UInt32(truncatingIfNeeded: value)
    }

    /// `bytes` deflated at level 1, zlib's fastest (a zlib stream): a snapshot stalls the broker
    /// while it is written, so speed matters more than size. O(n); fails only on out-of-memory.
    static func compress(_ bytes: [UInt8]) throws(StorageError) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), 1)
            }
        }
        guard status == Z_OK else { throw StorageError(.badBody("compress2 returned \(status)")) }
        out.removeLast(out.count - Int(length))
        return out
    }

    /// Inflates `bytes`, which must decompress to exactly `expected` bytes. The
    /// caller has bounded `expected`, so hostile input cannot make this allocate more.
    static func decompress(_ bytes: ArraySlice<UInt8>, expected: Int) throws(StorageError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(expected, 1))
        var length = uLong(expected)
        let status = out.withUnsafeMutableBufferPointer { target in
            Array(bytes).withUnsafeBufferPointer { source in
                uncompress(target.baseAddress, &length, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK, Int(length) == expected else {
            throw StorageError(.badBody("zlib stream does not inflate to \(expected) bytes (status \(status))"))
        }
        out.removeLast(out.count - expected)
        return out
    }
}
