/// A token `NAME.SECRET` (docs/SECURITY.md, "Tokens"): the identity's name, a
/// dot, and 32 random bytes in unpadded URL-safe Base64. The secret is stored
/// hashed under NAME like a password, so a token is looked up by its name.
public struct Token: Equatable, Sendable {
    /// The identity.
    public var name: String
    /// The secret part, as given.
    public var secret: String

    /// A token from its parts.
    public init(name: String, secret: String) {
        self.name = name
        self.secret = secret
    }

    /// Splits `text` at its last dot (the secret's alphabet has none, a name may);
    /// nil when there is no dot, the name is not a valid name, or the secret is empty.
    public init?(parsing text: String) {
        guard let dot = text.lastIndex(of: ".") else { return nil }
        let name = String(text[..<dot])
        let secret = String(text[text.index(after: dot)...])
        guard CredentialName.isValid(name), !secret.isEmpty else { return nil }
        self.init(name: name, secret: secret)
    }

    /// `NAME.SECRET`.
    public var text: String { name + "." + secret }
}
