// What every target shares: the input as an array, data-derived choices that do not
// disturb the seeds' meaning, and the one way a target reports a broken property.

/// The fuzzer's input, as libFuzzer passes it to `LLVMFuzzerTestOneInput`.
public struct FuzzInput {
    /// The input bytes.
    public let bytes: [UInt8]

    /// Copies `size` bytes at `data` (libFuzzer may pass a null pointer with size 0).
    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    /// A value derived from every byte (FNV-1a), so the choices it drives change when
    /// the input does, without reserving bytes of the input for them: a seed that is a
    /// valid file or frame stream stays one.
    public var hash: UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return value
    }

    /// An offset in `0...bytes.count` chosen by the hash.
    public var splitOffset: Int { Int(hash % UInt64(bytes.count + 1)) }
}

/// Stops the run with a message when a property fails. libFuzzer sees the trap as a
/// crash and saves the input under fuzz/crashes/.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property failed: \(message())") }
}
