import BlackboardAccess

/// The credentials of an admin request's `Authorization` header: `Bearer
/// NAME.SECRET` (a token) or `Basic base64(user:password)` (RFC 7617). Pure.
enum AdminCredentials: Equatable {
    case token(Token)
    case password(user: String, password: [UInt8])

    /// Parses a header value; nil when it is neither form.
    init?(header: String) {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased()
        let value = parts[1].trimmingCharacters(in: " ")
        if scheme == "bearer", let token = Token(parsing: value) {
            self = .token(token)
        } else if scheme == "basic", let decoded = Base64.decode(value),
                  let colon = decoded.firstIndex(of: UInt8(ascii: ":")), colon > 0
        {
            self = .password(user: String(decoding: decoded[..<colon], as: UTF8.self),
                             password: Array(decoded[(colon + 1)...]))
        } else {
            return nil
        }
    }

    /// The identity the credentials name.
    var name: String {
        switch self {
        case let .token(token): token.name
        case let .password(user, _): user
        }
    }

    /// The secret to check against the stored hash.
    var secret: [UInt8] {
        switch self {
        case let .token(token): Array(token.secret.utf8)
        case let .password(_, password): password
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
