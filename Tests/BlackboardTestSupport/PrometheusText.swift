// A strict parser of the Prometheus text exposition format 0.0.4, for tests of
// `/metrics`. Stricter than Prometheus itself where our output promises more:
//
//   exposition = { line "\n" }                  ; every line ends in "\n", the last too
//   line       = "" | comment | help | type | sample
//   help       = "# HELP " name " " text         ; text: "\\" and "\n" are the only escapes
//   type       = "# TYPE " name " " ("counter" | "gauge" | "histogram" | "summary" | "untyped")
//   comment    = "#" anything else
//   sample     = name [ "{" [ label { "," label } [ "," ] ] "}" ] " " value [ " " timestamp ]
//   label      = labelname "=" '"' { char | "\\\\" | "\\\"" | "\\n" } '"'
//   name       = [a-zA-Z_:][a-zA-Z0-9_:]*
//   labelname  = [a-zA-Z_][a-zA-Z0-9_]*         ; not starting with "__" (reserved)
//   value      = a float as Go's ParseFloat reads it, or "NaN", "+Inf", "-Inf"
//   timestamp  = an integer (ms)
//
// And, beyond the grammar:
// - every sample's family has a TYPE line before its first sample (`untyped`
//   families without one are refused: our output types everything);
// - at most one HELP and one TYPE per family, both before its samples;
// - a family's samples are contiguous (one group);
// - no two samples with the same name and label set;
// - a histogram's or summary's samples may add `_bucket`, `_sum`, `_count` to its name.

/// A metric family: its name, TYPE, HELP, and samples in order.
public struct MetricFamily: Equatable, Sendable {
    public var name: String
    public var type: String
    public var help: String?
    public var samples: [MetricSample]
}

/// One sample line.
public struct MetricSample: Equatable, Sendable {
    public var name: String
    /// Label name → unescaped value.
    public var labels: [String: String]
    public var value: Double
    public var timestamp: Int64?

    public init(name: String, labels: [String: String], value: Double, timestamp: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    public static func == (lhs: MetricSample, rhs: MetricSample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}

/// Why an exposition was refused, and on which line (1-based).
public struct PrometheusTextError: Error, Equatable, CustomStringConvertible {
    public let line: Int
    public let reason: String
    public var description: String { "line \(line): \(reason)" }
}

/// Parses text format 0.0.4 strictly (rules at the top of the file).
public enum PrometheusText {
    public static let types: Set<String> = ["counter", "gauge", "histogram", "summary", "untyped"]

    /// The families of `text`, in order of their first line.
    public static func parse(_ text: String) throws(PrometheusTextError) -> [MetricFamily] {
        var families: [MetricFamily] = []
        var indexByName: [String: Int] = [:]
        var sampled = Set<String>()        // families whose samples have started
        var closed = Set<String>()         // families whose sample group has ended
        var series = Set<String>()
        var current: String?               // the family of the previous sample
        guard text.isEmpty || text.hasSuffix("\n") else { throw PrometheusTextError(line: 0, reason: "no final newline") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for (offset, raw) in lines.enumerated() {
            let number = offset + 1
            func fail(_ reason: String) -> PrometheusTextError { PrometheusTextError(line: number, reason: reason) }
            let line = String(raw)
            if line.isEmpty { continue }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let isHelp = line.hasPrefix("# HELP ")
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                guard isMetricName(name) else { throw fail("bad metric name '\(name)'") }
                guard rest.count > name.count else { throw fail("nothing after the name") }
                let argument = String(rest.dropFirst(name.count + 1))
                if sampled.contains(name) { throw fail("\(isHelp ? "HELP" : "TYPE") for \(name) after its samples") }
                let index = indexByName[name] ?? {
                    families.append(MetricFamily(name: name, type: "", help: nil, samples: []))
                    indexByName[name] = families.count - 1
                    return families.count - 1
                }()
                if isHelp {
                    guard families[index].help == nil else { throw fail("second HELP for \(name)") }
                    families[index].help = try unescapeHelp(argument, line: number)
                } else {
                    guard families[index].type.isEmpty else { throw fail("second TYPE for \(name)") }
                    guard types.contains(argument) else { throw fail("unknown type '\(argument)'") }
                    families[index].type = argument
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            let sample = try parseSample(line, number: number)
            guard let family = family(of: sample.name, in: families, indexByName) else {
                throw fail("sample of \(sample.name) before its TYPE")
            }
            let familyName = families[family].name
            if current != familyName {
                if closed.contains(familyName) { throw fail("samples of \(familyName) are not in one group") }
                if let current { closed.insert(current) }
                current = familyName
            }
            sampled.insert(familyName)
            let key = sample.name + "{" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: "\u{0}") + "}"
            guard series.insert(key).inserted else { throw fail("duplicate series \(key)") }
            families[family].samples.append(sample)
        }
        return families
    }

    /// The family a sample belongs to: its own name, or a histogram's or summary's
    /// whose name it extends by `_bucket`, `_sum` or `_count`. Only typed families count.
    private static func family(of name: String, in families: [MetricFamily], _ indexByName: [String: Int]) -> Int? {
        if let index = indexByName[name], !families[index].type.isEmpty { return index }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            if let index = indexByName[String(name.dropLast(suffix.count))],
               ["histogram", "summary"].contains(families[index].type) {
                return index
            }
        }
        return nil
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return !name.hasPrefix("__") && name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }

    private static func unescapeHelp(_ text: String, line: Int) throws(PrometheusTextError) -> String {
        func fail(_ reason: String) -> PrometheusTextError { PrometheusTextError(line: line, reason: reason) }
        var out = "", escaped = false
        for character in text {
            if escaped {
                switch character {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                default: throw fail("bad escape '\\\(character)' in HELP")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        if escaped { throw fail("HELP ends in a lone backslash") }
        return out
    }

    private static func parseSample(_ line: String, number: Int) throws(PrometheusTextError) -> MetricSample {
        func fail(_ reason: String) -> PrometheusTextError { PrometheusTextError(line: number, reason: reason) }
        var scalars = Substring(line).unicodeScalars[...]
        let name = String(String.UnicodeScalarView(scalars.prefix { $0 != "{" && $0 != " " }))
        guard isMetricName(name) else { throw fail("bad metric name '\(name)'") }
        scalars = scalars.dropFirst(name.unicodeScalars.count)
        var labels: [String: String] = [:]
        if scalars.first == "{" {
            scalars = scalars.dropFirst()
            while scalars.first != "}" {
                let labelName = String(String.UnicodeScalarView(scalars.prefix { $0 != "=" }))
                guard isLabelName(labelName) else { throw fail("bad label name '\(labelName)'") }
                scalars = scalars.dropFirst(labelName.unicodeScalars.count)
                guard scalars.starts(with: "=\"".unicodeScalars) else { throw fail("no =\" after label \(labelName)") }
                scalars = scalars.dropFirst(2)
                var value = "", closed = false
                while let scalar = scalars.popFirst() {
                    if scalar == "\"" { closed = true; break }
                    if scalar == "\n" { throw fail("newline in a label value") }
                    guard scalar == "\\" else { value.unicodeScalars.append(scalar); continue }
                    switch scalars.popFirst() {
                    case "\\": value.append("\\")
                    case "\"": value.append("\"")
                    case "n": value.append("\n")
                    default: throw fail("bad escape in the value of label \(labelName)")
                    }
                }
                guard closed else { throw fail("unterminated value of label \(labelName)") }
                guard labels.updateValue(value, forKey: labelName) == nil else {
                    throw fail("label \(labelName) given twice")
                }
                if scalars.first == "," { scalars = scalars.dropFirst() } else if scalars.first != "}" {
                    throw fail("expected , or } after label \(labelName)")
                }
            }
            scalars = scalars.dropFirst()
        }
        guard scalars.first == " " else { throw fail("no space before the value") }
        let fields = String(String.UnicodeScalarView(scalars.dropFirst())).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 1 || fields.count == 2 else { throw fail("expected a value and at most a timestamp") }
        guard let value = parseValue(String(fields[0])) else { throw fail("bad value '\(fields[0])'") }
        var timestamp: Int64?
        if fields.count == 2 {
            guard let parsed = Int64(fields[1]) else { throw fail("bad timestamp '\(fields[1])'") }
            timestamp = parsed
        }
        return MetricSample(name: name, labels: labels, value: value, timestamp: timestamp)
    }

    /// A float as Go's strconv.ParseFloat accepts it, narrowed to what exporters
    /// write: decimal with optional exponent, or NaN, +Inf, -Inf.
    private static func parseValue(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard text.wholeMatch(of: /[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/) != nil else { return nil }
            return Double(text)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
