/// One SQLite value: what a statement binds and what a column holds.
public enum SQLiteValue: Equatable, Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Raw bytes.
    case blob([UInt8])

    /// The integer, or a real with no fractional part; nil otherwise.
    public var integer: Int64? {
        switch self {
        case let .integer(value): return value
        case let .real(value): return value.rounded() == value ? Int64(exactly: value) : nil
        case .null, .text, .blob: return nil
        }
    }

    /// The value as a double when it is a number.
    public var real: Double? {
        switch self {
        case let .integer(value): return Double(value)
        case let .real(value): return value
        case .null, .text, .blob: return nil
        }
    }

    /// The text, if the value is text.
    public var text: String? {
        if case let .text(value) = self { return value }
        return nil
    }

    /// Whether the value is `NULL`.
    public var isNull: Bool { self == .null }

    /// `.integer` for a present value, `.null` for nil.
    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    /// `.real` for a present value, `.null` for nil.
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    /// `.text` for a present value, `.null` for nil.
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}
