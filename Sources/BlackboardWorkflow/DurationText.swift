// The duration grammar of workflow files:
//
//   duration = part { part }
//   part     = digits unit
//   unit     = "h" | "m" | "s" | "ms"
//
// Units appear at most once each and largest first: `250ms`, `10s`, `2m`, `1h`, `1m30s`,
// `1h0m5s500ms`. No sign, no fraction, no spaces, no bare number (a unit is always
// written, so `30` is not silently read as seconds or milliseconds).

/// Reads and writes workflow-file durations, in milliseconds.
public enum DurationText {
    /// The longest duration a workflow file may write (the loader's check): 30 days, far
    /// above any sensible timeout or backoff.
    public static let maxMilliseconds: Int64 = 30 * 24 * 3_600_000

    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1_000),
    ]

    /// The milliseconds `text` stands for, or nil if it breaks the grammar. Each amount has
    /// at most 9 digits, so the total cannot overflow.
    public static func milliseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var total: Int64 = 0
        var lastScale = Int64.max
        if rest.isEmpty { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // "ms" is tried before "m" so that `5ms` is not read as five minutes and an `s`.
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }), unit.milliseconds < lastScale else {
                return nil
            }
            rest = rest.dropFirst(unit.suffix.count)
            lastScale = unit.milliseconds
            total += amount * unit.milliseconds
        }
        return total
    }

    /// The shortest text that reads back as `milliseconds` (`1m30s`, `250ms`, `0s`).
    public static func text(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = ""
        for (suffix, scale) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1_000), ("ms", 1)] where rest >= scale {
            text += "\(rest / scale)\(suffix)"
            rest %= scale
        }
        return text
    }
}
