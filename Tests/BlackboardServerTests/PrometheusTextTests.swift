import BlackboardTestSupport
import Testing

/// The strict Prometheus text parser the admin tests rely on: it must accept
/// what the format allows and refuse what it does not, or its passes mean nothing.
@Suite struct PrometheusTextTests {
    @Test func aWellFormedExpositionParses() throws {
        let text = """
            # A comment.
            # HELP a_total Things, with a \\\\ and a \\n in the help.
            # TYPE a_total counter
            a_total{code="x",path="/a\\"b\\\\c\\nd",} 3 1700000000000
            a_total{code="y"} 4.5e+2

            # TYPE b gauge
            b -0.5
            # TYPE c gauge
            c NaN
            # TYPE h histogram
            h_bucket{le="+Inf"} 1
            h_sum 2
            h_count 1

            """
        let families = try PrometheusText.parse(text)
        #expect(families.map(\.name) == ["a_total", "b", "c", "h"])
        #expect(families[0].help == "Things, with a \\ and a \n in the help.")
        #expect(families[0].samples == [
            MetricSample(name: "a_total", labels: ["code": "x", "path": "/a\"b\\c\nd"], value: 3, timestamp: 1_700_000_000_000),
            MetricSample(name: "a_total", labels: ["code": "y"], value: 450, timestamp: nil),
        ])
        #expect(families[2].samples.first?.value.isNaN == true)
        #expect(families[3].samples.count == 3)
    }

    static let refused: [(String, String)] = [
        ("# TYPE a gauge\na 1", "no final newline"),
        ("a 1\n", "sample of a before its TYPE"),
        ("# TYPE a gauge\na 1\n# HELP a late\n", "HELP for a after its samples"),
        ("# TYPE a gauge\n# TYPE a counter\n", "second TYPE for a"),
        ("# HELP a x\n# HELP a y\n", "second HELP for a"),
        ("# TYPE a meter\n", "unknown type 'meter'"),
        ("# TYPE 1a gauge\n", "bad metric name '1a'"),
        ("# HELP a bad \\t escape\n", "bad escape '\\t' in HELP"),
        ("# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"1\"} 2\n", "samples of a are not in one group"),
        ("# TYPE a gauge\na 1\na 2\n", "duplicate series a{}"),
        ("# TYPE a gauge\na{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n", "duplicate series a{x=1\u{0}y=2}"),
        ("# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n", "label x given twice"),
        ("# TYPE a gauge\na{__x=\"1\"} 1\n", "bad label name '__x'"),
        ("# TYPE a gauge\na{x=\"\\t\"} 1\n", "bad escape in the value of label x"),
        ("# TYPE a gauge\na{x=\"1} 1\n", "unterminated value of label x"),
        ("# TYPE a gauge\na{x=1} 1\n", "no =\" after label x"),
        ("# TYPE a gauge\na{x=\"1\" y=\"2\"} 1\n", "expected , or } after label x"),
        ("# TYPE a gauge\na one\n", "bad value 'one'"),
        ("# TYPE a gauge\na 0x10\n", "bad value '0x10'"),
        ("# TYPE a gauge\na 1 2 3\n", "expected a value and at most a timestamp"),
        ("# TYPE a gauge\na 1 now\n", "bad timestamp 'now'"),
        ("# TYPE a gauge\na  1\n", "bad value ''"),
        ("# TYPE a gauge\na-b 1\n", "bad metric name 'a-b'"),
        ("# TYPE h gauge\nh_sum 1\n", "sample of h_sum before its TYPE"),
    ]

    @Test(arguments: refused)
    func malformedExpositionsAreRefused(_ text: String, reason: String) {
        #expect {
            try PrometheusText.parse(text)
        } throws: { error in
            (error as? PrometheusTextError)?.reason == reason
        }
    }
}
