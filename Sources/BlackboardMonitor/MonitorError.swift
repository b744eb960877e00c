/// Why the monitor's store cannot be used. (SQLite failures are ``SQLiteError``.)
public enum MonitorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file has a schema version this monitor does not know: written by a newer one.
    case newerSchema(found: Int64, supported: Int64)

    /// A sentence for the operator.
    public var description: String {
        switch self {
        case let .newerSchema(found, supported):
            return "the database has schema version \(found); this monitor knows versions up to \(supported)"
        }
    }
}
