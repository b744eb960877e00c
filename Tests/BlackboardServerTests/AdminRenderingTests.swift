import BlackboardProtocol
import BlackboardServer
import Testing

/// The admin port's JSON and Prometheus renderings.
@Suite struct AdminRenderingTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("a\"b", #""a\"b""#),
        ("back\\slash", #""back\\slash""#),
        ("line\nfeed\r\ttab", #""line\nfeed\r\ttab""#),
        ("\u{1}\u{1f}\u{7f}", #""\u0001\u001f\u007f""#),
        ("wf:Ümlaut→", "\"wf:Ümlaut→\""),
    ])
    func jsonStringsAreEscaped(_ text: String, expected: String) {
        #expect(AdminRendering.jsonString(text) == expected)
    }

    private func sample() -> AdminSnapshot {
        var snapshot = AdminSnapshot()
        snapshot.version = "1.2\"x"
        snapshot.connections = 3
        snapshot.stats.messagesIn = 7
        snapshot.stats.deliveries = 14
        snapshot.stats.protocolErrors[.badSyntax] = 2
        return snapshot
    }

    @Test func statsHasEveryFieldAndEveryErrorCode() {
        let json = AdminRendering.statsJSON(sample())
        #expect(json.hasPrefix(#"{"version":"1.2\"x","#))
        #expect(json.contains(#""connections_open":3,"#))
        #expect(json.contains(#""messages_in":7,"#))
        #expect(json.contains(#""deliveries":14,"#))
        #expect(json.contains(#""bad_syntax":2"#))
        for field in sample().fields { #expect(json.contains("\"\(field.key)\":")) }
        for code in ErrorCode.allCases { #expect(json.contains("\"\(code.rawValue)\":")) }
        #expect(json.hasSuffix("}}\n"))
    }

    @Test func metricsLinesAreWellFormed() throws {
        let text = AdminRendering.metrics(sample())
        var help = Set<String>(), type = Set<String>(), sampled = Set<String>()
        let sampleLine = /([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? (-?[0-9]+(?:\.[0-9]+)?)/
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                help.insert(String(line.split(separator: " ")[2]))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && ["counter", "gauge"].contains(parts[3]), "\(line)")
                type.insert(String(parts[2]))
            } else {
                let match = try #require(try sampleLine.wholeMatch(in: String(line)), "bad line: \(line)")
                let name = String(match.1)
                #expect(help.contains(name) && type.contains(name), "\(name) sampled before its HELP and TYPE")
                sampled.insert(name)
            }
        }
        #expect(help == type && type == sampled)
        for name in type where text.contains("# TYPE \(name) counter") { #expect(name.hasSuffix("_total")) }
        #expect(text.hasSuffix("\n"))
        #expect(text.contains(#"blackboard_protocol_errors_total{code="bad_syntax"} 2"#))
        #expect(text.contains(#"blackboard_info{version="1.2\"x"} 1"#))
        #expect(text.contains("blackboard_deliveries_total 14\n"))
    }
}
