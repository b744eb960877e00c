/// One value of the configuration file: the TOML types the subset accepts.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    /// A basic (`"..."`) or literal (`'...'`) string.
    case string(String)
    /// A decimal integer, `_` allowed between digits.
    case integer(Int)
    /// `true` or `false`.
    case boolean(Bool)

    /// The value as it is written in the file (strings quoted and escaped).
    public var description: String {
        switch self {
        case let .string(text): return ConfigValue.quoted(text)
        case let .integer(number): return String(number)
        case let .boolean(flag): return String(flag)
        }
    }

    /// The name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .boolean: return "a boolean"
        }
    }

    /// `text` as a TOML basic string, escaping what the parser unescapes.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
