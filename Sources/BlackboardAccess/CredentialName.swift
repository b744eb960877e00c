/// The rules for identity and role names: 1–256 printable non-space ASCII
/// bytes other than `:` (the credentials file's separator).
public enum CredentialName {
    /// The longest name, in bytes.
    public static let maxBytes = 256

    /// Whether `name` follows the rules.
    public static func isValid(_ name: some StringProtocol) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && bytes.count <= maxBytes
            && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: ":") }
    }
}
