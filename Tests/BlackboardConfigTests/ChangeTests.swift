import BlackboardConfig
import Testing

/// What SIGHUP logs and applies.
@Suite struct ChangeTests {
    @Test func changesListEveryDifferingKeyInTableOrder() throws {
        let new = try Settings.parse(text: "[listen]\nport = 7000\n[limits]\nmax_pending = 1_048_576\n")
        let changes = new.changes(from: .defaults)
        #expect(changes.map(\.description) == ["listen.port 7070 -> 7000", "limits.max_pending 67108864 -> 1048576"])
        #expect(changes.map(\.reloadable) == [false, true])
        #expect(Settings.defaults.changes(from: .defaults).isEmpty)
    }

    @Test func reloadingAppliesOnlyTheReloadableKeys() throws {
        let file = try Settings.parse(text: "[listen]\nport = 7000\n[limits]\nmax_pairs = 5\n[log]\nlevel = \"debug\"\n")
        let next = file.reloadable(over: .defaults)
        #expect(next.changes(from: .defaults).map(\.path) == ["limits.max_pairs"])
        #expect(file.changes(from: next).map(\.path) == ["listen.port", "log.level"])
    }

    @Test func theAdminDumpReadsEveryKeyByPath() {
        for key in ConfigKey.all { #expect(Settings.defaults[key.path] == key.defaultValue) }
        #expect(Settings.defaults["no.such"] == nil)
    }
}
