import BlackboardConfig
import Testing

/// The TOML subset: what it accepts, and every error with its line and key.
@Suite struct ParsingTests {
    /// The errors of `text`, or none.
    func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try Settings.parse(text: text)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func theSubsetsValuesAreRead() throws {
        let settings = try Settings.parse(text: """
            # leading comment
              [storage]   # trailing comment
            data_dir = "a \\"b\\" c\\\\d\\te\\nf # not a comment"
            snapshot_threshold_bytes = 1_048_576 # one MiB
            [log]\r
            level = 'debug'\r
            [limits]
            max_pairs = +7
            """)
        #expect(settings.dataDirectory == "a \"b\" c\\d\te\nf # not a comment")
        #expect(settings.snapshotThresholdBytes == 1_048_576)
        #expect(settings.logLevel == .debug)
        #expect(settings.maxPairs == 7)
    }

    @Test(arguments: [
        ("x = [1, 2]", "arrays"),
        ("x = { a = 1 }", "inline tables"),
        ("x = 1.5", "floats"),
        ("x = 1e6", "floats"),
        ("x = 1979-05-27", "dates"),
        ("x = 0x10", "hexadecimal"),
        ("a.b = 1", "dotted keys"),
        ("[[t]]", "array tables"),
        ("x = \"open", "closing quote"),
        ("x = \"\\q\"", "unknown escape"),
        ("x = 1 2", "unexpected text"),
        ("x = 1__0", "syntax error"),
        ("x = 010", "syntax error"),
        ("x = 99999999999999999999", "64 bits"),
        ("x =", "expected a value"),
        ("just words", "expected ="),
        ("= 3", "bare key"),
        ("[a.b]", "dotted section"),
    ])
    func malformedLinesAreReportedWithTheirLine(line: String, message: String) {
        let found = errors("[limits]\n\n\(line)\n")
        #expect(found.count == 1, "\(line): \(found)")
        #expect(found.first?.line == 3)
        #expect(found.first?.message.contains(message) == true, "\(line): \(found.first?.message ?? "none")")
    }

    @Test func everyErrorOfAFileIsReportedInLineOrder() {
        let found = errors("""
            [listen]
            port = 70000
            host = 1
            port = 1
            [nowhere]
            key = 1
            [limits]
            max_pairs = [1]
            max_typo = 3
            [listen]
            stray = "x"
            [log]
            level = "loud"
            """)
        #expect(found.map(\.line) == [2, 3, 4, 5, 8, 9, 10, 11, 13])
        #expect(found.map(\.key) == ["listen.port", "listen.host", "listen.port", "nowhere", "max_pairs",
                                     "limits.max_typo", "listen", "listen.stray", "log.level"])
        #expect(found[0].description == "line 2: listen.port: must be in 0...65535")
        #expect(found[2].message == "key already set on line 2")
        #expect(found[8].message.hasPrefix("must be one of \"trace\""))
    }

    @Test func aKeyBeforeAnySectionIsUnknown() {
        let found = errors("max_pairs = 3\n")
        #expect(found == [ConfigError(line: 1, key: "max_pairs", .unknownKey)])
    }

    @Test func anEmptyFileIsTheDefaults() throws {
        #expect(try Settings.parse(text: "") == .defaults)
        #expect(try Settings.parse(text: "# nothing\n\n[limits]\n") == .defaults)
    }

    @Test func overridesWinOverTheFile() throws {
        let file = try Settings.parse(text: "[listen]\nport = 9000\nhost = \"0.0.0.0\"\n[limits]\nmax_pairs = 2\n")
        let settings = try file.applying(overrides: ["listen.port": 0, "log.level": "debug"])
        #expect(settings.listenPort == 0 && settings.logLevel == .debug)
        #expect(settings.listenHost == "0.0.0.0" && settings.maxPairs == 2)
    }

    @Test func badOverridesAreReportedWithoutALine() {
        #expect(throws: ConfigErrors(errors: [
            ConfigError(line: nil, key: "limits.max_pairs", .outOfRange(1...(1 << 30))),
            ConfigError(line: nil, key: "no.such", .unknownKey),
        ])) {
            try Settings.defaults.applying(overrides: ["limits.max_pairs": 0, "no.such": 1])
        }
    }
}
