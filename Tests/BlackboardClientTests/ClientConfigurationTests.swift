@testable import BlackboardClient
import Testing

@Suite struct ClientConfigurationTests {
    @Test func defaults() {
        let configuration = ClientConfiguration()
        #expect(configuration.host == "127.0.0.1" && configuration.port == 7070)
        #expect(configuration.endpoint == "127.0.0.1:7070")
        #expect(configuration.reconnects && !configuration.acknowledgePublishes)
        #expect(configuration.reconnectBackoff == ReconnectBackoff(initial: .milliseconds(50), maximum: .seconds(5)))
        #expect(configuration.pingInterval == .seconds(30) && configuration.maxOutstandingPings == 2)
        #expect(configuration.keepaliveInterval == .seconds(30))
    }

    @Test(arguments: [
        (Duration?.none, 2, true), (.zero, 2, true), (.milliseconds(50), 1, true),
        (.milliseconds(-1), 2, false), (.seconds(30), 0, false),
    ])
    func keepaliveValidation(interval: Duration?, maxOutstanding: Int, valid: Bool) {
        var configuration = ClientConfiguration(uri: "urn:ok")
        configuration.pingInterval = interval
        configuration.maxOutstandingPings = maxOutstanding
        #expect(((try? configuration.validate()) != nil) == valid)
    }

    @Test func generatedURIsAreWellFormedAndDistinct() {
        let uris = (0..<100).map { _ in ClientConfiguration.generatedURI() }
        #expect(Set(uris).count == 100)
        for uri in uris {
            #expect(uri.hasPrefix("urn:blackboard:client:") && uri.count == "urn:blackboard:client:".count + 16)
        }
    }

    @Test(arguments: [("urn:ok", true), ("", false), ("has space", false), ("ü", false), (String(repeating: "u", count: 257), false)])
    func uriValidation(uri: String, valid: Bool) {
        let configuration = ClientConfiguration(uri: uri)
        #expect(((try? configuration.validate()) != nil) == valid)
    }

    @Test func namesAreMadeSafeForHello() {
        #expect(ClientConfiguration(name: "my tool ✓").wireName == "my_tool____")
        #expect(ClientConfiguration(name: "").wireName == nil)
    }

    @Test func ipv6EndpointsUseBrackets() {
        #expect(ClientConfiguration(host: "::1", port: 1).endpoint == "[::1]:1")
    }
}
