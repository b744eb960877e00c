import BlackboardCore

// The access file (docs/SECURITY.md, "Access file"). Line-based; words are
// separated by spaces or tabs, and a word starting with `#` begins a comment
// that runs to the end of the line:
//
//   file       = *( line LF )
//   line       = *WSP [ directive ] *WSP [ comment ]
//   directive  = "role" name                         ; starts a role; later lines add to it
//              / "subscribe" ( "allow" / "deny" ) 1*entry
//              / "publish" ( "allow" / "deny" ) 1*entry
//              / "admin"                             ; the role may use the admin port
//              / "identity" name 1*name              ; an identity and its roles
//              / "anonymous" *name                   ; roles of clients without credentials
//   entry      = concept / prefix ".>" / ">"         ; the profile entry grammar
//   name       = 1*( %x21-39 / %x3B-7E )             ; printable, no space, no ":"
//
// `subscribe`, `publish` and `admin` belong to the last `role` above them.
// Roles may be defined after the identities that name them; naming a role that
// is never defined is an error, as is defining a role or an identity twice.
// `anonymous` with no roles admits clients without credentials with no
// permissions; without the line, credentials are required.

extension AccessPolicy {
    /// Parses an access file's text.
    /// - Throws: the first error, with its line number.
    public init(parsing text: String) throws(AccessFileError) {
        self.init()
        var currentRole: String?
        var roleLines: [String: Int] = [:]
        var references: [(role: String, line: Int)] = []
        var anonymousLine: Int?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let words = Self.words(of: rawLine)
            guard let directive = words.first else { continue }
            let arguments = Array(words.dropFirst())
            switch directive {
            case "role":
                guard arguments.count == 1 else { throw AccessFileError(line: number, "role takes one name") }
                let name = try Self.name(arguments[0], line: number)
                if let first = roleLines[name] {
                    throw AccessFileError(line: number, "role \(name) is already defined on line \(first)")
                }
                roleLines[name] = number
                roles[name] = Role(name: name)
                currentRole = name
            case "subscribe", "publish":
                guard let role = currentRole else {
                    throw AccessFileError(line: number, "\(directive) outside a role (start one with `role NAME`)")
                }
                guard let mode = arguments.first, mode == "allow" || mode == "deny" else {
                    throw AccessFileError(line: number, "\(directive) is followed by allow or deny")
                }
                guard arguments.count > 1 else { throw AccessFileError(line: number, "\(directive) \(mode) needs entries") }
                var set = EntrySet()
                for word in arguments.dropFirst() {
                    do throws(ConceptError) {
                        set.insert(try ProfileEntry(parsing: Array(word.utf8)))
                    } catch {
                        throw AccessFileError(line: number, "\(word) is not a profile entry: \(error)")
                    }
                }
                switch (directive, mode) {
                case ("subscribe", "allow"): roles[role]!.permissions.subscribeAllow.formUnion(set)
                case ("subscribe", _): roles[role]!.permissions.subscribeDeny.formUnion(set)
                case (_, "allow"): roles[role]!.permissions.publishAllow.formUnion(set)
                default: roles[role]!.permissions.publishDeny.formUnion(set)
                }
            case "admin":
                guard let role = currentRole else { throw AccessFileError(line: number, "admin outside a role") }
                guard arguments.isEmpty else { throw AccessFileError(line: number, "admin takes no arguments") }
                roles[role]!.permissions.isAdmin = true
            case "identity":
                currentRole = nil
                guard arguments.count >= 2 else { throw AccessFileError(line: number, "identity takes a name and at least one role") }
                let name = try Self.name(arguments[0], line: number)
                if identities[name] != nil { throw AccessFileError(line: number, "identity \(name) is listed twice") }
                let granted = try arguments.dropFirst().map { (word) throws(AccessFileError) in try Self.name(word, line: number) }
                references += granted.map { ($0, number) }
                identities[name] = granted
            case "anonymous":
                currentRole = nil
                if let first = anonymousLine { throw AccessFileError(line: number, "anonymous is already set on line \(first)") }
                anonymousLine = number
                let granted = try arguments.map { (word) throws(AccessFileError) in try Self.name(word, line: number) }
                references += granted.map { ($0, number) }
                anonymous = granted
            default:
                throw AccessFileError(line: number, "unknown directive \(directive) (role, subscribe, publish, admin, identity, anonymous)")
            }
        }
        for reference in references where roles[reference.role] == nil {
            throw AccessFileError(line: reference.line, "unknown role \(reference.role)")
        }
    }

    /// The words of a line, up to a comment.
    private static func words(of line: Substring) -> [String] {
        var words: [String] = []
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            if word.hasPrefix("#") { break }
            words.append(String(word))
        }
        return words
    }

    /// Checks a role or identity name.
    static func name(_ word: String, line: Int) throws(AccessFileError) -> String {
        guard CredentialName.isValid(word) else {
            throw AccessFileError(line: line, "\(word) is not a name (printable ASCII without spaces or `:`, at most \(CredentialName.maxBytes) bytes)")
        }
        return word
    }
}
