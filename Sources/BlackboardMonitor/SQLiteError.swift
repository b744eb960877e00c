import CSQLite

/// A failed SQLite call: SQLite's extended result code and its own message,
/// and the statement that failed when there was one.
///
/// Every call into SQLite that can fail goes through ``SQLiteDatabase/check(_:sql:)``,
/// the one place where result codes become this error.
public struct SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …); see ``primaryCode``.
    public let code: Int32
    /// SQLite's message (`sqlite3_errmsg`), e.g. `UNIQUE constraint failed: t.k`.
    public let message: String
    /// The SQL being prepared or run, if any.
    public let sql: String?

    /// An error with the given code and message.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code: the low byte of ``code`` (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …).
    public var primaryCode: Int32 { code & 0xFF }

    /// Whether the error is a constraint violation (unique, not null, check, …).
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// `sqlite: <message> (code N)`, and the statement when there was one.
    public var description: String {
        let base = "sqlite: \(message) (code \(code))"
        guard let sql else { return base }
        return base + " in: " + sql
    }
}
