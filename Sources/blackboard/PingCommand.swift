import ArgumentParser
import BlackboardClient

/// `blackboard ping`: measures PING/PONG round trips.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Measure the round-trip time of PING/PONG to the broker."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: "How many pings to send, one after the other.")
    var count = 1

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        try await ExitStatus.guarding(connection) {
            let client = try await Subscriber.connect(connection.configuration(reconnects: false))
            for sequence in 1...count {
                let elapsed = try await client.ping()
                let microseconds = Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6
                let milliseconds = (microseconds / 1000).formatted(fractionDigits: 3)
                Terminal.writeLine("PONG from \(connection.endpoint): seq=\(sequence) time=\(milliseconds) ms")
            }
            await client.close()
        }
    }
}

extension Double {
    /// The number with exactly `fractionDigits` digits after the point.
    fileprivate func formatted(fractionDigits: Int) -> String {
        var scale = 1.0
        for _ in 0..<fractionDigits { scale *= 10 }
        let scaled = Int((self * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        return "\(whole).\(String(repeating: "0", count: fractionDigits - fraction.count))\(fraction)"
    }
}
