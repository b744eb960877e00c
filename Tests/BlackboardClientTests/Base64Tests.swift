@testable import BlackboardClient
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfcVectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
    }

    @Test func everyByteValueRoundTrips() {
        let bytes = (0...255).map(UInt8.init)
        for length in [0, 1, 2, 3, 254, 255, 256] {
            let slice = Array(bytes.prefix(length))
            #expect(Base64.decode(Array(Base64.encode(slice).utf8)) == slice)
        }
    }

    @Test(arguments: ["Zg", "Zm8"])
    func paddingIsOptional(encoded: String) {
        #expect(Base64.decode(Array(encoded.utf8)) != nil)
    }

    @Test(arguments: ["Z", "Zg=", "Zm9v=", "Z===", "Zg==Zg==", "Zm 9v", "Zm9v!", "é"])
    func rejectsMalformedText(encoded: String) {
        #expect(Base64.decode(Array(encoded.utf8)) == nil)
    }
}
