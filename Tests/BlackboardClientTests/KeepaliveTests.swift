@testable import BlackboardClient
import Testing

/// The reader's keepalive decisions, driven event by event.
@Suite struct KeepaliveTests {
    @Test(arguments: [1, 2, 5])
    func silenceSendsPingsThenGivesUp(maxOutstanding: Int) {
        var keepalive = Keepalive(interval: .milliseconds(50), maxOutstanding: maxOutstanding)
        for sent in 1...maxOutstanding {
            #expect(keepalive.silenceElapsed() == .ping)
            #expect(keepalive.outstanding == sent)
        }
        #expect(keepalive.silenceElapsed() == .giveUp)
    }

    @Test func anyInputResetsTheCount() {
        var keepalive = Keepalive(interval: .seconds(1), maxOutstanding: 2)
        #expect(keepalive.silenceElapsed() == .ping)
        #expect(keepalive.silenceElapsed() == .ping)
        keepalive.inputReceived()
        #expect(keepalive.outstanding == 0)
        #expect(keepalive.silenceElapsed() == .ping)
        #expect(keepalive.silenceElapsed() == .ping)
        #expect(keepalive.silenceElapsed() == .giveUp)
    }

    @Test(arguments: [(Duration?.none, false), (.zero, false), (.milliseconds(50), true)])
    func keepaliveIsOffWithoutAnInterval(interval: Duration?, on: Bool) {
        var configuration = ClientConfiguration()
        configuration.pingInterval = interval
        #expect((Keepalive(configuration) != nil) == on)
    }

    @Test func theLossReasonSaysHowLongTheBrokerWasSilent() {
        let keepalive = Keepalive(interval: .milliseconds(50), maxOutstanding: 2)
        #expect(keepalive.lossReason == "no answer to 2 keepalive PINGs; the broker sent nothing for 0.15 seconds")
    }
}
