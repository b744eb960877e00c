import BlackboardClient
import BlackboardProtocol
import Testing

@Suite struct JSONLineParsingTests {
    @Test func keepsKeyOrder() throws {
        let pairs = try JSONLine.pairs(from: #"{"wf:A":"x","res:CPU":"12","a":"1","z":"2","m":"3"}"#)
        #expect(pairs.map(\.concept) == ["wf:A", "res:CPU", "a", "z", "m"])
        #expect(pairs.map(\.text) == ["x", "12", "1", "2", "3"])
    }

    @Test(arguments: [
        (#"{}"#, [Pair]()),
        (#"  { "a" : "b" }  "#, [Pair("a", "b")]),
        ("{\"a\":\"b\",\t\"a\":\"c\"}\r", [Pair("a", "b"), Pair("a", "c")]),
        (#"{"n":12,"f":-1.5e3,"t":true,"no":false}"#, [Pair("n", "12"), Pair("f", "-1.5e3"), Pair("t", "true"), Pair("no", "false")]),
        (#"{"e":"\"\\\/\b\f\n\r\t"}"#, [Pair("e", [0x22, 0x5C, 0x2F, 0x08, 0x0C, 0x0A, 0x0D, 0x09])]),
        (#"{"u":"\u00fc\u2713\ud83d\ude00"}"#, [Pair("u", "ü✓😀")]),
        (#"{"raw":"Grüße"}"#, [Pair("raw", "Grüße")]),
        (#"{"bin":{"base64":"/wA="}}"#, [Pair("bin", [0xFF, 0x00])]),
        (#"{"bin":{ "base64" : "QULD" }}"#, [Pair("bin", [0x41, 0x42, 0xC3])]),
        (#"{"empty":""}"#, [Pair("empty", [])]),
    ])
    func parsesValidLines(line: String, expected: [Pair]) throws {
        #expect(try JSONLine.pairs(from: line) == expected)
    }

    @Test(arguments: [
        ("", 0),
        ("[]", 0),
        (#"{"a":"b""#, 8),
        (#"{"a":"b",}"#, 9),
        (#"{"a" "b"}"#, 5),
        (#"{a:"b"}"#, 1),
        (#"{"a":null}"#, 5),
        (#"{"a":["b"]}"#, 5),
        (#"{"a":{"hex":"00"}}"#, 6),
        (#"{"a":{"base64":"!!"}}"#, 15),
        (#"{"a":"b"} x"#, 10),
        (#"{"a":"\q"}"#, 7),
        (#"{"a":"\ud800"}"#, 12),
        (#"{"a":"\u12"}"#, 10),
        (#"{"a":01x}"#, 7),
        (#"{"a":-}"#, 6),
        ("{\"a\":\"line\nbreak\"}", 10),
        (#"{"a":"open}"#, 11),
    ])
    func rejectsInvalidLinesAtTheOffendingByte(line: String, offset: Int) {
        #expect {
            try JSONLine.pairs(from: line)
        } throws: { error in
            (error as? JSONLineError)?.offset == offset
        }
    }

    @Test func errorDescriptionNamesTheOffset() {
        #expect(JSONLineError(offset: 3, reason: "expected ':'").description == "at byte 3: expected ':'")
    }
}
