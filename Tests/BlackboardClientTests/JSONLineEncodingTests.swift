import BlackboardClient
import BlackboardCore
import BlackboardProtocol
import Testing

@Suite struct JSONLineEncodingTests {
    @Test func deliveryLineHasTheDocumentedShape() {
        let delivery = Delivery(
            sequence: 1, publisher: "urn:demo:pub", timestamp: 1_763_719_200_123,
            pairs: [Pair("wf:A", "x"), Pair("res:CPU", "12")])
        #expect(JSONLine.encode(delivery)
            == #"{"seq":1,"publisher":"urn:demo:pub","ts":1763719200123,"pairs":[["wf:A","x"],["res:CPU","12"]]}"#)
    }

    @Test func deliveryWithoutPairs() {
        let delivery = Delivery(sequence: 7, publisher: "p", timestamp: 0, pairs: [])
        #expect(JSONLine.encode(delivery) == #"{"seq":7,"publisher":"p","ts":0,"pairs":[]}"#)
    }

    @Test(arguments: [
        ([UInt8]("plain".utf8), #""plain""#),
        ([UInt8]("say \"hi\"".utf8), #""say \"hi\"""#),
        ([UInt8]("back\\slash".utf8), #""back\\slash""#),
        ([0x0A, 0x0D, 0x09], #""\n\r\t""#),
        ([0x00, 0x1F, 0x7F], #""\u0000\u001f\u007f""#),
        ([UInt8]("Grüße ✓ 😀".utf8), "\"Grüße ✓ 😀\""),
        ([], #""""#),
        ([0xFF], #"{"base64":"/w=="}"#),
        ([0x41, 0x42, 0xC3], #"{"base64":"QULD"}"#),
        ([0xED, 0xA0, 0x80], #"{"base64":"7aCA"}"#),
    ])
    func valuesAreStringsOrBase64(value: [UInt8], expected: String) {
        let delivery = Delivery(sequence: 1, publisher: "p", timestamp: 2, pairs: [Pair("c", value)])
        #expect(JSONLine.encode(delivery) == #"{"seq":1,"publisher":"p","ts":2,"pairs":[["c","#.appending(expected) + "]]}")
    }

    @Test func appendAddsToExistingBytes() {
        var buffer = Array("> ".utf8)
        JSONLine.append(Delivery(sequence: 2, publisher: "p", timestamp: 3, pairs: []), to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"> {"seq":2,"publisher":"p","ts":3,"pairs":[]}"#)
    }

    @Test func fullProfileListsEntries() {
        let update = ProfileUpdate(version: 3, entries: [.below("res"), .exact("wf:A")], delta: nil)
        #expect(JSONLine.encode(update) == #"{"version":3,"entries":["res.>","wf:A"]}"#)
    }

    @Test func deltaListsTheChange() {
        let delta = ProfileDelta(version: 4, added: [.exact("wf:B"), .all], removed: [])
        let update = ProfileUpdate(version: 4, entries: [.all, .exact("wf:B")], delta: delta)
        #expect(JSONLine.encode(update) == #"{"version":4,"added":["wf:B",">"],"removed":[]}"#)
    }

    @Test func encodedDeliveryValuesParseBackToTheSameBytes() throws {
        let values: [[UInt8]] = [Array("x".utf8), [0xFF, 0x00], Array("a\"b\\c\n".utf8), [], Array("✓".utf8)]
        for value in values {
            let line = JSONLine.encode(Delivery(sequence: 1, publisher: "p", timestamp: 1, pairs: [Pair("k", value)]))
            let start = line.range(of: #"["k","#)!.upperBound
            let end = line.range(of: "]]}", options: .backwards)!.lowerBound
            let object = "{\"k\":" + line[start..<end] + "}"
            #expect(try JSONLine.pairs(from: object) == [Pair("k", value)])
        }
    }
}
