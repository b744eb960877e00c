extension Settings {
    /// Reads a configuration file's text over ``defaults``: keys it leaves out
    /// keep their defaults. Every problem of the file is reported, in line
    /// order, each with its line and key; nothing is applied if there is one.
    /// Cost O(bytes + keys × table size).
    public static func parse(text: String) throws(ConfigErrors) -> Settings {
        let document = TOMLDocument(parsing: text)
        var errors = document.errors
        var settings = Settings.defaults
        let known = Set(ConfigKey.sections)
        var sectionLines: [String: Int] = [:]
        for (name, line) in document.sections {
            if !known.contains(name) {
                errors.append(ConfigError(line: line, key: name, .unknownSection))
            } else if let first = sectionLines[name] {
                errors.append(ConfigError(line: line, key: name, .duplicateSection(firstLine: first)))
            } else {
                sectionLines[name] = line
            }
        }
        var seen: [String: Int] = [:]
        for entry in document.entries {
            // Keys of an unknown section were reported with its header.
            if !entry.section.isEmpty, !known.contains(entry.section) { continue }
            let path = entry.section.isEmpty ? entry.key : "\(entry.section).\(entry.key)"
            guard let key = ConfigKey.named(path) else {
                errors.append(ConfigError(line: entry.line, key: path, .unknownKey))
                continue
            }
            if let first = seen[path] {
                errors.append(ConfigError(line: entry.line, key: path, .duplicateKey(firstLine: first)))
                continue
            }
            seen[path] = entry.line
            if let problem = key.validate(entry.value) {
                errors.append(ConfigError(line: entry.line, key: path, problem))
            } else {
                key.write(entry.value, into: &settings)
            }
        }
        guard errors.isEmpty else {
            throw ConfigErrors(errors: errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return settings
    }

    /// These settings with `overrides` (key path → value, such as
    /// `"listen.port": 0` from `--port 0`) put over them, validated by the
    /// same table as the file. Errors carry no line.
    public func applying(overrides: [String: ConfigValue]) throws(ConfigErrors) -> Settings {
        var settings = self
        var errors: [ConfigError] = []
        for path in overrides.keys.sorted() {
            let value = overrides[path]!
            guard let key = ConfigKey.named(path) else {
                errors.append(ConfigError(line: nil, key: path, .unknownKey))
                continue
            }
            if let problem = key.validate(value) {
                errors.append(ConfigError(line: nil, key: path, problem))
            } else {
                key.write(value, into: &settings)
            }
        }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        return settings
    }

    /// The value of the key at `path`, for the admin dump; nil if no such key.
    public subscript(path: String) -> ConfigValue? {
        ConfigKey.named(path)?.value(in: self)
    }
}
