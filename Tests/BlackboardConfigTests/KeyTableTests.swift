import BlackboardConfig
import Testing

/// Table-driven over ``ConfigKey/all``: a new key is covered without a new test.
@Suite struct KeyTableTests {
    /// A valid value of `key` other than its default.
    static func otherValue(of key: ConfigKey) -> ConfigValue {
        switch key.kind {
        case .string: return .string("other \"quoted\" \\ value")
        case .boolean: return key.defaultValue == .boolean(true) ? .boolean(false) : .boolean(true)
        case let .choice(allowed): return .string(allowed.first { .string($0) != key.defaultValue }!)
        case let .integer(range, _):
            return key.defaultValue == .integer(range.upperBound) ? .integer(range.lowerBound) : .integer(range.upperBound)
        }
    }

    @Test(arguments: ConfigKey.all.map(\.path))
    func everyKeyIsReadFromAFile(path: String) throws {
        let key = try #require(ConfigKey.named(path))
        let value = Self.otherValue(of: key)
        let settings = try Settings.parse(text: "# a comment\n[\(key.section)]\n\(key.name) = \(value)\n")
        #expect(key.value(in: settings) == value)
        #expect(settings.changes(from: .defaults).map(\.path) == [path])
    }

    @Test(arguments: ConfigKey.all.map(\.path))
    func everyKeyRejectsAValueOfTheWrongType(path: String) throws {
        let key = try #require(ConfigKey.named(path))
        let wrong: ConfigValue = if case .integer = key.kind { .string("12") } else { .integer(12) }
        #expect(throws: ConfigErrors.self) { try Settings.parse(text: "[\(key.section)]\n\n\(key.name) = \(wrong)\n") }
        do {
            _ = try Settings.parse(text: "[\(key.section)]\n\n\(key.name) = \(wrong)\n")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors.first?.line == 3)
            #expect(error.errors.first?.key == path)
            guard case .wrongType = error.errors.first?.problem else { Issue.record("\(error)"); return }
        }
    }

    @Test(arguments: ConfigKey.all.map(\.path))
    func everyBoundedKeyRejectsValuesOutsideItsRange(path: String) throws {
        let key = try #require(ConfigKey.named(path))
        var bad: [ConfigValue] = []
        switch key.kind {
        case let .integer(range, _):
            if range.lowerBound > Int.min { bad.append(.integer(range.lowerBound - 1)) }
            if range.upperBound < Int.max { bad.append(.integer(range.upperBound + 1)) }
        case .choice: bad.append(.string("no-such-choice"))
        case .string, .boolean: return
        }
        for value in bad {
            #expect(key.validate(value) != nil, "\(path) = \(value)")
            #expect(throws: ConfigErrors.self) { try Settings.parse(text: "[\(key.section)]\n\(key.name) = \(value)\n") }
        }
    }

    @Test func everyDefaultIsValidAndIsWhatDefaultsHold() {
        for key in ConfigKey.all {
            #expect(key.validate(key.defaultValue) == nil, "\(key.path)")
            #expect(key.value(in: .defaults) == key.defaultValue, "\(key.path)")
        }
    }

    @Test func keysAreUniqueAndSnakeCase() {
        #expect(Set(ConfigKey.all.map(\.path)).count == ConfigKey.all.count)
        for key in ConfigKey.all {
            #expect(key.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(key.path)")
            #expect(!key.doc.isEmpty && !key.doc.contains("\n"), "\(key.path)")
        }
    }

    @Test func theDefaultsAreTheOnesTheDaemonHadAsFlags() {
        let defaults = Settings.defaults
        #expect(defaults.listenHost == "127.0.0.1" && defaults.listenPort == 7070)
        #expect(defaults.adminHost == "127.0.0.1" && defaults.adminPort == 7071)
        #expect(defaults.maxLine == 4096 && defaults.maxConcept == 256 && defaults.maxPairs == 100_000)
        #expect(defaults.maxValue == 8 << 20 && defaults.maxMessage == 16 << 20 && defaults.maxProfile == 100_000)
        #expect(defaults.maxConnections == 10_000 && defaults.maxPending == 64 << 20)
        #expect(defaults.writeDeadlineMilliseconds == 10_000 && defaults.pingIntervalMilliseconds == 30_000)
        #expect(defaults.pingMaxOutstanding == 2 && defaults.shutdownGraceMilliseconds == 5_000)
        #expect(defaults.fsync == .always && defaults.logLevel == .info && defaults.dataDirectory == "var/blackboard")
    }
}
