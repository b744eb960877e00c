import BlackboardMonitor
import CSQLite
import Foundation
import Testing

@Suite struct SQLiteTests {
    @Test func valuesRoundTrip() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (v)")
        let values: [SQLiteValue] = [
            .null, .integer(0), .integer(Int64.max), .integer(Int64.min), .real(0.1), .real(-1e300),
            .text(""), .text("héllo, wörld ✓"), .text("nul\u{0}inside"), .blob([]), .blob([0, 255, 1, 0]),
        ]
        for value in values { try database.run("INSERT INTO t (v) VALUES (?1)", [value]) }
        let read = try database.rows("SELECT v FROM t ORDER BY rowid").map { $0[0] }
        #expect(read == values)
    }

    @Test func preparedStatementsAreReusedAndRebound() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
        for k in 1...50 { try database.run("INSERT INTO t VALUES (?1, ?2)", [.integer(Int64(k)), .text("v\(k)")]) }
        #expect(try database.scalar("SELECT count(*) FROM t") == .integer(50))
        #expect(try database.scalar("SELECT v FROM t WHERE k = ?1", [.integer(42)]) == .text("v42"))
        #expect(try database.scalar("SELECT v FROM t WHERE k = ?1", [.integer(99)]) == nil)
        #expect(database.lastInsertRowID == 50)
        #expect(try database.run("UPDATE t SET v = 'x' WHERE k > ?1", [.integer(40)]) == 10)
    }

    @Test func uniqueViolationCarriesSQLitesMessage() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (k TEXT UNIQUE)")
        try database.run("INSERT INTO t VALUES (?1)", [.text("a")])
        let error = try #require(throws: SQLiteError.self) { try database.run("INSERT INTO t VALUES (?1)", [.text("a")]) }
        #expect(error.isConstraintViolation)
        #expect(error.code == 2067)  // SQLITE_CONSTRAINT_UNIQUE, a macro Swift does not import
        #expect(error.message == "UNIQUE constraint failed: t.k")
        #expect(error.sql == "INSERT INTO t VALUES (?1)")
        #expect(error.description.hasPrefix("sqlite: UNIQUE constraint failed: t.k (code 2067)"))
    }

    @Test func syntaxErrorsAndMissingTablesAreReported() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let syntax = try #require(throws: SQLiteError.self) { try database.prepare("SELEKT 1") }
        #expect(syntax.primaryCode == SQLITE_ERROR && syntax.message.contains("syntax error"))
        let missing = try #require(throws: SQLiteError.self) { try database.rows("SELECT * FROM nowhere") }
        #expect(missing.message == "no such table: nowhere")
        let script = try #require(throws: SQLiteError.self) { try database.execute("CREATE TABLE a (x); INSERT INTO b VALUES (1)") }
        #expect(script.message == "no such table: b")
    }

    @Test func bindingTheWrongNumberOfValuesIsARangeError() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) { try database.rows("SELECT ?1 + ?2", [.integer(1)]) }
        #expect(error.code == SQLITE_RANGE)
        // The cached statement is still usable afterwards.
        #expect(try database.scalar("SELECT ?1 + ?2", [.integer(1), .integer(2)]) == .integer(3))
    }

    @Test func transactionsCommitOrRollBack() throws {
        struct Abandon: Error {}
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (v)")
        try database.transaction { try database.run("INSERT INTO t VALUES (1)") }
        #expect(throws: Abandon.self) {
            try database.transaction {
                try database.run("INSERT INTO t VALUES (2)")
                throw Abandon()
            }
        }
        #expect(try database.rows("SELECT v FROM t") == [[.integer(1)]])
    }

    @Test func userVersionAndWriteAheadLogOnAFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t.db").path
        do {
            let database = try SQLiteDatabase(path: path)
            #expect(try database.enableWriteAheadLog() == "wal")
            #expect(try database.userVersion() == 0)
            try database.setUserVersion(7)
        }
        let reopened = try SQLiteDatabase(path: path)
        #expect(try reopened.userVersion() == 7)
        #expect(try reopened.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try SQLiteDatabase(path: ":memory:").enableWriteAheadLog() == "memory")
    }

    @Test func unopenableFileNamesThePath() {
        let error = #expect(throws: SQLiteError.self) { try SQLiteDatabase(path: "/nonexistent-dir/x/y.db") }
        #expect(error?.message.hasPrefix("cannot open /nonexistent-dir/x/y.db: ") == true)
        #expect(error?.primaryCode == SQLITE_CANTOPEN)
    }
}
