/// What a client authenticates with in `HELLO` (docs/SECURITY.md).
public enum ClientCredentials: Sendable, Equatable, CustomStringConvertible {
    /// An identity and its password, any bytes (sent percent-encoded).
    case password(user: String, password: [UInt8])
    /// A token `NAME.SECRET` as `blackboard passwd --token` printed it.
    case token(String)

    /// Names the identity, never the secret.
    public var description: String {
        switch self {
        case let .password(user, _): return "password of \(user)"
        case let .token(token): return "token of \(token.split(separator: ".").dropLast().joined(separator: "."))"
        }
    }
}
