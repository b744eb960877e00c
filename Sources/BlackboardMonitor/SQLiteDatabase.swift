import CSQLite

/// One connection to an SQLite database file: a small, safe layer over the C API.
///
/// - Statements are prepared once and cached by their SQL text (``statement(_:)``);
///   values are always bound, never spliced into SQL.
/// - Every result code that is not success goes through ``check(_:sql:)`` and
///   becomes a ``SQLiteError`` carrying SQLite's own message.
/// - ``transaction(_:)`` commits when its body returns and rolls back when it throws.
///
/// Not thread-safe by itself (prepared statements hold per-call state): one owner
/// at a time. ``MonitorStore`` keeps its database behind a lock.
public final class SQLiteDatabase {
    private let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens (creating if needed) the database at `path`; `":memory:"` gives a
    /// private in-memory database. Extended result codes are on, and a locked
    /// database is retried for `busyTimeoutMilliseconds` before `SQLITE_BUSY`.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5_000) throws(SQLiteError) {
        var pointer: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite3_open_v2(path, &pointer, flags, nil)
        guard status == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            if let pointer { sqlite3_close_v2(pointer) }
            throw SQLiteError(code: status, message: "cannot open \(path): \(message)")
        }
        handle = pointer
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit {
        cache.removeAll()   // statements finalize before the connection closes
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements separated by `;`, binding nothing (schema scripts, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// The cached prepared statement for `sql` (one statement), reset and with its bindings cleared.
    public func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        let statement = try prepare(sql)
        cache[sql] = statement
        return statement
    }

    /// A new, uncached prepared statement for `sql`, which must hold exactly one statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var pointer: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let bytes = Array(sql.utf8CString)
        let status = bytes.withUnsafeBufferPointer { buffer in
            sqlite3_prepare_v2(handle, buffer.baseAddress, Int32(buffer.count), &pointer, &tail)
        }
        try check(status, sql: sql)
        guard let pointer else { throw SQLiteError(code: SQLITE_MISUSE, message: "no statement in the SQL", sql: sql) }
        return SQLiteStatement(handle: pointer, database: self, sql: sql)
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Every row of a query, each as its column values in order.
    public func rows(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteValue? {
        try rows(sql, values).first?.first
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; rolls back and rethrows when it throws.
    /// Not nestable.
    @discardableResult
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// `PRAGMA user_version`: the schema version the application stored.
    public func userVersion() throws(SQLiteError) -> Int64 {
        try scalar("PRAGMA user_version")?.integer ?? 0
    }

    /// Sets `PRAGMA user_version` (a pragma takes no bound values; `version` is a number).
    public func setUserVersion(_ version: Int64) throws(SQLiteError) {
        try execute("PRAGMA user_version = \(version)")
    }

    /// Switches to write-ahead logging; returns the journal mode now in force
    /// (`wal`, or `memory` for an in-memory database, which cannot use WAL).
    @discardableResult
    public func enableWriteAheadLog() throws(SQLiteError) -> String {
        try scalar("PRAGMA journal_mode = WAL")?.text ?? ""
    }

    /// The rowid of the last successful `INSERT` on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Throws the connection's error for `status` unless it is `SQLITE_OK`, `SQLITE_ROW` or `SQLITE_DONE`.
    func check(_ status: Int32, sql: String?) throws(SQLiteError) {
        switch status {
        case SQLITE_OK, SQLITE_ROW, SQLITE_DONE: return
        default:
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
    }
}
