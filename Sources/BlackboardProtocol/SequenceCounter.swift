/// A delivery counter that keeps its decimal spelling up to date, so writing
/// the `seq` of a `MSG` costs a copy instead of a conversion: incrementing
/// carries through ASCII digits like an odometer, which touches one byte nine
/// times out of ten. No allocation; the digits live inline.
public struct SequenceCounter: Sendable {
    /// The current value.
    public private(set) var value: UInt64 = 0
    /// ASCII digits, right-aligned in 24 bytes: the last `width` bytes spell `value`.
    private var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var width = 1

    private static let capacity = 24

    public init() {
        withUnsafeMutableBytes(of: &digits) { $0[Self.capacity - 1] = UInt8(ascii: "0") }
    }

    /// Adds one.
    public mutating func increment() {
        precondition(value < .max, "SequenceCounter overflow")
        value += 1
        let width = self.width
        let grew = withUnsafeMutableBytes(of: &digits) { bytes -> Bool in
            var index = Self.capacity - 1
            while bytes[index] == UInt8(ascii: "9") {
                bytes[index] = UInt8(ascii: "0")
                index -= 1
            }
            if index < Self.capacity - width {
                bytes[index] = UInt8(ascii: "1")
                return true
            }
            bytes[index] += 1
            return false
        }
        if grew { self.width += 1 }
    }

    /// Writes the decimal digits of `value` at `out`; returns how many (at most 20).
    @inline(__always)
    public func write(into out: UnsafeMutableRawPointer) -> Int {
        let width = self.width
        withUnsafeBytes(of: digits) { bytes in
            out.copyMemory(from: bytes.baseAddress! + (Self.capacity - width), byteCount: width)
        }
        return width
    }
}
