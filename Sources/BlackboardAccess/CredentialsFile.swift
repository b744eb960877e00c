// The credentials file (docs/SECURITY.md, "Credentials file"), like
// Mosquitto's password_file: one identity per line,
//
//   line = name ":" "$pbkdf2-sha256$" iterations "$" salt-b64 "$" hash-b64
//
// Blank lines and lines starting with `#` are ignored (and kept by
// `blackboard passwd`, which rewrites only the line it changes). No secret is
// ever stored in clear: a token's secret is hashed like a password.

/// The parsed credentials file: each identity's stored hash, plus the file's
/// other lines so a rewrite keeps them.
public struct CredentialsFile: Equatable, Sendable {
    /// One line of the file.
    public enum Line: Equatable, Sendable {
        /// An identity and its hash.
        case entry(name: String, hash: PasswordHash)
        /// A blank or comment line, kept verbatim.
        case other(String)
    }

    /// The lines, in file order.
    public private(set) var lines: [Line] = []

    /// An empty file.
    public init() {}

    /// Parses the file's text.
    /// - Throws: the first bad line, with its number.
    public init(parsing text: String) throws(AccessFileError) {
        var seen: Set<String> = []
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        if rows.last == "" { rows.removeLast() }
        for (index, row) in rows.enumerated() {
            let trimmed = row.trimmingSuffix("\r")
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) || trimmed.hasPrefix("#") {
                lines.append(.other(String(trimmed)))
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw AccessFileError(line: index + 1, "expected name:$pbkdf2-sha256$iterations$salt$hash")
            }
            let name = String(trimmed[..<colon])
            guard CredentialName.isValid(name) else {
                throw AccessFileError(line: index + 1, "\(name) is not a name (printable ASCII without spaces or `:`)")
            }
            guard let hash = PasswordHash(parsing: trimmed[trimmed.index(after: colon)...]) else {
                throw AccessFileError(line: index + 1, "the hash of \(name) is not $pbkdf2-sha256$iterations$salt$hash")
            }
            guard seen.insert(name).inserted else { throw AccessFileError(line: index + 1, "\(name) is listed twice") }
            lines.append(.entry(name: name, hash: hash))
        }
    }

    /// The stored hash of `name`.
    public subscript(name: String) -> PasswordHash? {
        for case let .entry(entryName, hash) in lines where entryName == name { return hash }
        return nil
    }

    /// Every identity's hash, by name.
    public var entries: [String: PasswordHash] {
        var result: [String: PasswordHash] = [:]
        for case let .entry(name, hash) in lines { result[name] = hash }
        return result
    }

    /// Sets (replacing in place, or appending) the hash of `name`.
    public mutating func set(_ name: String, _ hash: PasswordHash) {
        if let index = lines.firstIndex(where: { if case .entry(name, _) = $0 { true } else { false } }) {
            lines[index] = .entry(name: name, hash: hash)
        } else {
            lines.append(.entry(name: name, hash: hash))
        }
    }

    /// Removes `name`'s line; false when there was none.
    @discardableResult
    public mutating func remove(_ name: String) -> Bool {
        let before = lines.count
        lines.removeAll { if case .entry(name, _) = $0 { true } else { false } }
        return lines.count != before
    }

    /// The file's text, one line per entry, each ended by a newline.
    public var text: String {
        lines.map { line in
            switch line {
            case let .entry(name, hash): "\(name):\(hash.text)\n"
            case let .other(text): text + "\n"
            }
        }.joined()
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: Character) -> Substring {
        last == suffix ? dropLast() : self
    }
}
