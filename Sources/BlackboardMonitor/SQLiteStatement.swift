import CSQLite

/// A prepared statement: bind values, step through rows, read columns.
/// Finalized when the value goes away. Owned by one ``SQLiteDatabase``.
public final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let database: SQLiteDatabase
    /// The SQL it was prepared from.
    public let sql: String

    init(handle: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before the call returns,
    /// so the Swift buffers may go away at once. The C macro is `(destructor)-1`.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `values` to the parameters `?1…?n` in order; a count that does not
    /// match the statement's parameters is an error (`SQLITE_RANGE`).
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE, message: "\(values.count) values bound to \(expected) parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null:
                status = sqlite3_bind_null(handle, index)
            case let .integer(number):
                status = sqlite3_bind_int64(handle, index, number)
            case let .real(number):
                status = sqlite3_bind_double(handle, index, number)
            case let .text(text):
                // Bound with its byte count, so text holding NUL bytes is kept whole.
                let bytes = Array(text.utf8CString)
                status = bytes.withUnsafeBufferPointer { buffer in
                    sqlite3_bind_text(handle, index, buffer.baseAddress, Int32(buffer.count - 1), Self.transient)
                }
            case let .blob(bytes) where bytes.isEmpty:
                status = sqlite3_bind_zeroblob(handle, index, 0)
            case let .blob(bytes):
                status = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), Self.transient)
                }
            }
            try database.check(status, sql: sql)
        }
    }

    /// Advances to the next row: true when a row is ready (read it with ``row()``),
    /// false when the statement is done.
    public func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(handle)
        try database.check(status, sql: sql)
        return status == SQLITE_ROW
    }

    /// The current row's columns.
    public func row() -> [SQLiteValue] {
        (0..<sqlite3_column_count(handle)).map(column)
    }

    /// Column `index` (from 0) of the current row.
    public func column(_ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    /// Makes the statement ready to run again and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}
