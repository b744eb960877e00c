// The name grammars of workflow files (ASCII only, 1...128 bytes):
//
//   workflow  [A-Za-z0-9_.-]+
//   activity  [A-Za-z0-9_-]+
//   namespace segment { "." segment },  segment = [A-Za-z0-9_-]+
//   param     [A-Za-z_][A-Za-z0-9_]*       (so that BB_PARAM_<NAME> is a valid variable)
//   env key   [A-Za-z_][A-Za-z0-9_]*

/// The name rules, each with the sentence that explains it in an error.
enum Names {
    static let maxLength = 128

    static let workflowRule = "use 1 to 128 of A-Z a-z 0-9 _ . -"
    static let activityRule = "use 1 to 128 of A-Z a-z 0-9 _ -"
    static let namespaceRule = "use dot-separated segments of A-Z a-z 0-9 _ -"
    static let identifierRule = "start with a letter or _, then letters, digits or _"

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func all(_ name: some StringProtocol, _ allowed: (UInt8) -> Bool) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy(allowed)
    }

    static func isWorkflowName(_ name: String) -> Bool {
        all(name) { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func isActivityName(_ name: String) -> Bool {
        all(name) { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isNamespace(_ name: String) -> Bool {
        name.utf8.count <= maxLength && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isActivityName(String($0)) }
    }

    static func isParamName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return all(name) { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }
}
