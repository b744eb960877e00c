import Testing
@testable import BlackboardWorkflow

/// Lines of the track file: user pairs, resource requests, and specific errors.
@Suite struct TrackLineTests {
    static let declared: Set<String> = ["user.rows_cleaned", "user.note", "user.stats", "user.flag"]

    func parse(_ line: String) throws -> TrackLine? { try TrackLine.parse(line, declared: Self.declared) }

    func texts(_ line: TrackLine?) -> [String] {
        (line?.user ?? []).map { "\($0.concept)=\(String(decoding: $0.value, as: UTF8.self))" }
    }

    @Test func userValuesAreStringsAsIsAndEverythingElseAsWritten() throws {
        let line = try parse(#"{"user.rows_cleaned": 1234, "user.note": "ok \"quoted\" \u00e9\ud83d\ude80", "user.flag": true, "user.stats": {"a": [1, 2.50e3]}}"#)
        #expect(texts(line) == [
            "user.rows_cleaned=1234", "user.note=ok \"quoted\" é🚀", "user.flag=true", #"user.stats={"a": [1, 2.50e3]}"#,
        ])
        #expect(line?.resources == [])
        #expect(texts(try parse(#"{"user.note": null, "user.flag": -0.5}"#)) == ["user.note=null", "user.flag=-0.5"])
    }

    @Test(arguments: [
        (#"{"resource": ["res.memory", "res.cpu"]}"#, [ResourceKind.cpu, .memory]),
        (#"{"resource": "res.>"}"#, [.cpu, .memory, .io, .disk]),
        (#"{"resource": ["res.disk", "res.disk"]}"#, [.disk]),
    ])
    func resourceRequestsListWhatToSample(line: String, expected: [ResourceKind]) throws {
        let parsed = try parse(line)
        #expect(parsed?.resources == expected)
        #expect(parsed?.user.isEmpty == true)
    }

    @Test func aLineMayCarryBoth() throws {
        let line = try parse(#"  {"resource": "res.io", "user.note": "merge"}  "#)
        #expect(texts(line) == ["user.note=merge"])
        #expect(line?.resources == [.io])
    }

    @Test(arguments: ["", "   ", "\t\r"])
    func blankLinesAreIgnored(_ line: String) throws {
        #expect(try parse(line) == nil)
    }

    @Test(arguments: [
        (#"{"user.note": "ok""#, "not a JSON object: the line ends where ',' or '}' was expected at column 19"),
        (#"{"user.note" "ok"}"#, "expected ':' after the key at column 14"),
        (#"{user.note: 1}"#, "expected a key in double quotes at column 2"),
        (#"["user.note"]"#, "not a JSON object: expected an object at column 1"),
        (#"{"user.note": 01}"#, "expected ',' or '}' at column 16"),
        (#"{"user.note": 1.}"#, "expected a digit at column 17"),
        (#"{"user.note": tru}"#, "expected a value at column 15"),
        (#"{"user.note": "a\qb"}"#, "unknown escape at column 18"),
        (#"{"user.note": "\ud800"}"#, "a high surrogate must be followed by a low one"),
        (#"{"user.note": "\u12G4"}"#, "\\u needs four hex digits"),
        ("{\"user.note\": \"a\tb\"}", "a control character must be escaped"),
        (#"{"user.note": 1} x"#, "unexpected text after the value at column 18"),
        (#"{}"#, "an empty object publishes nothing"),
        (#"{"user.other": 1}"#, "'user.other' is not a declared user concept"),
        (#"{"res.cpu": 1}"#, "'res.cpu' is not a declared user concept"),
        (#"{"user.note": 1, "user.note": 2}"#, "key 'user.note' appears twice"),
        (#"{"resource": 3}"#, "'resource' must be a string or a list of strings"),
        (#"{"resource": []}"#, "'resource' must be a string or a list of strings"),
        (#"{"resource": ["res.cpu", 1]}"#, "'resource' must be a string or a list of strings"),
        (#"{"resource": "res.gpu"}"#, "unknown resource 'res.gpu'"),
        (String(repeating: "[", count: 40), "nested more than 32 levels"),
    ])
    func badLinesSayWhatIsWrong(line: String, message: String) {
        do {
            _ = try parse(line)
            Issue.record("parsed without error")
        } catch {
            let text = String(describing: error)
            #expect(text.contains(message), "\(text)")
            #expect(text.hasPrefix("track line \(line.prefix(TrackLine.quotedLength))"), "\(text)")
        }
    }

    @Test func longLinesAreShortenedInErrors() {
        let line = #"{"user.note": ""# + String(repeating: "x", count: 200)
        #expect(throws: WorkflowError.invalidTrackLine(
            line: String(line.prefix(80)) + "…", .syntax("the line ends inside a string", column: 216)
        )) { try parse(line) }
    }

    @Test func invalidUTF8InAStringIsAnError() {
        let bytes = Array(#"{"user.note": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: WorkflowError.self) { try TrackLine.parse(bytes, declared: Self.declared) }
    }

    @Test func everyCutOfAValidLineIsAnErrorNotACrash() throws {
        let line = Array(#"{"user.note": "a\"\u00e9\ud83d\ude80", "user.stats": {"k": [1, -2.5e-3, true, null]}, "resource": ["res.cpu"]}"#.utf8)
        #expect(try TrackLine.parse(line, declared: Self.declared) != nil)
        for cut in 1..<line.count {
            #expect(throws: WorkflowError.self) { try TrackLine.parse(line[..<cut], declared: Self.declared) }
        }
    }
}
