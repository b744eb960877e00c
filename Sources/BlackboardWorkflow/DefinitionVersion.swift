/// The version of a workflow definition: FNV-1a 64 of the file's bytes, as 16 lowercase
/// hex digits (`ctx.version`). Any byte changes it, comments and spacing included.
public enum DefinitionVersion {
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The version of a file with these bytes.
    public static func of(_ bytes: some Sequence<UInt8>) -> String {
        hex(fnv1a64(bytes))
    }

    /// FNV-1a, 64 bits.
    public static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// `value` as exactly 16 lowercase hex digits.
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
