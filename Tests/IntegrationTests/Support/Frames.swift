import BlackboardCore
import BlackboardProtocol

/// Shorthands for reading frames in tests.
extension Reply {
    /// The delivery, if this is a `MSG`.
    var delivery: Delivery? {
        if case let .message(delivery) = self { return delivery }
        return nil
    }

    /// The error code, if this is an `-ERR`.
    var errorCode: String? {
        if case let .error(code, _) = self { return code }
        return nil
    }

    /// Whether this is `+OK verb`.
    func isOK(_ verb: String) -> Bool {
        if case let .ok(got, _) = self { return got == verb }
        return false
    }
}

extension Delivery {
    /// The pairs as `concept=value` strings, values read as UTF-8.
    var texts: [String] { pairs.map { "\($0.concept)=\(String(decoding: $0.value, as: UTF8.self))" } }
}

/// A `PUB` frame of UTF-8 pairs.
func pub(_ pairs: (String, String)...) -> String {
    var text = "PUB \(pairs.count)\r\n"
    for (concept, value) in pairs { text += "\(concept) \(value.utf8.count)\r\n\(value)\r\n" }
    return text
}

/// A `SUB`, `ADD` or `DEL` frame.
func profileFrame(_ verb: String, _ entries: [String]) -> String {
    "\(verb) \(entries.count)\r\n" + entries.map { "\($0)\r\n" }.joined()
}

extension RawClient {
    /// Connects, says HELLO as `uri`, and checks the reply.
    static func hello(_ port: UInt16, _ uri: String, options: String = "") throws -> RawClient {
        let client = try RawClient(port: port)
        try client.send("HELLO \(uri)\(options.isEmpty ? "" : " " + options)\r\n")
        let reply = try client.readReply()
        guard reply.isOK("HELLO") else { throw TestFailure("HELLO answered \(reply)") }
        return client
    }

    /// Subscribes to `entries` and returns the version in `+OK SUB`.
    @discardableResult
    func subscribe(_ entries: [String]) throws -> UInt64 {
        try send(profileFrame("SUB", entries))
        let reply = try readReply()
        guard case let .ok("SUB", arguments) = reply, let version = UInt64(arguments.first ?? "") else {
            throw TestFailure("SUB answered \(reply)")
        }
        return version
    }

    /// Sends PING and waits for its PONG: everything sent before has been processed.
    func barrier() throws {
        try send("PING\r\n")
        _ = try readReply(until: { $0 == .pong })
    }

    /// The next delivery, skipping nothing else: any other frame fails.
    func nextDelivery(timeout: Double = 5) throws -> Delivery {
        // PINGs are skipped: a test stalled on a busy machine leaves this client idle long
        // enough for the broker to ping it, which says nothing about the deliveries.
        let reply = try readReply(timeout: timeout) { $0 != .ping }
        guard let delivery = reply.delivery else { throw TestFailure("expected MSG, got \(reply)") }
        return delivery
    }
}
