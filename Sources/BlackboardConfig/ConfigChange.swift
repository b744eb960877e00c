/// One key whose value differs between two ``Settings``, as the SIGHUP log
/// line shows it: `limits.max_pending 67108864 -> 1048576`.
public struct ConfigChange: Sendable, Equatable, CustomStringConvertible {
    /// The key.
    public let path: String
    /// The value before.
    public let old: ConfigValue
    /// The value after.
    public let new: ConfigValue
    /// Whether the running daemon can take the new value (SIGHUP); if not,
    /// it needs a restart.
    public let reloadable: Bool

    /// `path old -> new`.
    public var description: String { "\(path) \(old) -> \(new)" }
}

extension Settings {
    /// The keys whose values differ from `old` to `self`, in table order.
    /// Cost O(keys).
    public func changes(from old: Settings) -> [ConfigChange] {
        ConfigKey.all.compactMap { key in
            let before = key.value(in: old)
            let after = key.value(in: self)
            return before == after
                ? nil : ConfigChange(path: key.path, old: before, new: after, reloadable: key.reloadable)
        }
    }

    /// `running` with the reloadable keys of `self` applied and every other
    /// key left as it runs: what SIGHUP installs. The changes that were not
    /// applied are ``changes(from:)`` of the result to `self`.
    public func reloadable(over running: Settings) -> Settings {
        ConfigKey.all.reduce(into: running) { settings, key in
            if key.reloadable { key.write(key.value(in: self), into: &settings) }
        }
    }
}
