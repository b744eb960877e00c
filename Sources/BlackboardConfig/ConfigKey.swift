/// One configuration key: everything parsing, validation, the admin dump,
/// the shipped config file and docs/CONFIGURATION.md need to know about it.
/// The keys are listed once, in ``ConfigKey/all`` (ConfigKey+Table.swift).
public struct ConfigKey: Sendable {
    /// The type of a key's value and what is allowed.
    public enum Kind: Sendable, Equatable {
        /// Any string.
        case string
        /// An integer in `range`, counted in `unit`.
        case integer(ClosedRange<Int>, Unit)
        /// `true` or `false`.
        case boolean
        /// One of these strings.
        case choice([String])
    }

    /// What an integer counts. Sizes are plain byte counts and durations plain
    /// millisecond (or second) counts, the unit named by the key's doc and,
    /// for durations, by its suffix (`_ms`, `_seconds`).
    public enum Unit: String, Sendable {
        case count, bytes, milliseconds, seconds, port
    }

    /// The `[section]`.
    public let section: String
    /// The key within its section (snake_case).
    public let name: String
    /// Type and allowed values.
    public let kind: Kind
    /// The value when neither the file nor a flag sets it.
    public let defaultValue: ConfigValue
    /// One line for the config file, the docs and `--help`.
    public let doc: String
    /// Whether SIGHUP applies a new value to the running daemon.
    public let reloadable: Bool
    /// Where the value lives in ``Settings``.
    let binding: Binding

    /// `section.name`, the spelling used in logs, errors and the admin dump.
    public var path: String { "\(section).\(name)" }

    /// The key's value in `settings`.
    public func value(in settings: Settings) -> ConfigValue {
        switch binding {
        case let .string(path): return .string(settings[keyPath: path])
        case let .integer(path): return .integer(settings[keyPath: path])
        case let .boolean(path): return .boolean(settings[keyPath: path])
        case let .choice(read, _): return .string(read(settings))
        }
    }

    /// Stores an already validated `value` in `settings`.
    func write(_ value: ConfigValue, into settings: inout Settings) {
        switch (binding, value) {
        case let (.string(path), .string(text)): settings[keyPath: path] = text
        case let (.integer(path), .integer(number)): settings[keyPath: path] = number
        case let (.boolean(path), .boolean(flag)): settings[keyPath: path] = flag
        case let (.choice(_, write), .string(text)): write(&settings, text)
        default: preconditionFailure("\(path): a \(value.typeName) reached write unvalidated")
        }
    }

    /// Checks `value` against the kind; the problem if it does not fit.
    public func validate(_ value: ConfigValue) -> ConfigError.Problem? {
        switch (kind, value) {
        case (.string, .string), (.boolean, .boolean): return nil
        case let (.integer(range, _), .integer(number)): return range.contains(number) ? nil : .outOfRange(range)
        case let (.choice(allowed), .string(text)): return allowed.contains(text) ? nil : .notAllowed(allowed)
        default: return .wrongType(expected: kind.typeName, found: value.typeName)
        }
    }
}

extension ConfigKey.Kind {
    /// The expected type, for error messages.
    var typeName: String {
        switch self {
        case .string, .choice: return "a string"
        case .integer: return "an integer"
        case .boolean: return "a boolean"
        }
    }
}

/// Where a key's value lives in ``Settings``.
enum Binding: Sendable {
    case string(WritableKeyPath<Settings, String> & Sendable)
    case integer(WritableKeyPath<Settings, Int> & Sendable)
    case boolean(WritableKeyPath<Settings, Bool> & Sendable)
    /// An enum field, read and written through its raw value.
    case choice(@Sendable (Settings) -> String, @Sendable (inout Settings, String) -> Void)

    /// The binding of an enum field whose cases are the allowed strings.
    static func choice<T: RawRepresentable<String> & Sendable>(
        _ path: WritableKeyPath<Settings, T> & Sendable
    ) -> Binding {
        .choice({ $0[keyPath: path].rawValue }, { settings, text in
            if let value = T(rawValue: text) { settings[keyPath: path] = value }
        })
    }
}
