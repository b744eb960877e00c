import Foundation
import Testing

/// `blackboard stats`, `subscribers` and `publishers` against the real daemon's admin port.
@Suite struct AdminCLITests {
    typealias KnownState = AdminListingTests.KnownState

    private func run(_ arguments: [String], _ state: KnownState) throws -> Tool.Result {
        try Tool(arguments + ["--admin", "127.0.0.1:\(state.adminPort)"]).finish()
    }

    @Test func statsPrintsEveryFieldInGroups() throws {
        let state = try KnownState()
        let result = try run(["stats"], state)
        #expect(result.status == 0 && result.standardError.isEmpty)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        let titles = lines.filter { !$0.hasPrefix(" ") }
        #expect(titles == ["Broker", "Connections", "Registrations", "Leases", "Traffic", "Persistence", "Protocol errors"])
        var printed: [String: String] = [:]
        for line in lines where line.hasPrefix("  ") {
            let parts = line.dropFirst(2).split(separator: " ", maxSplits: 1)
            printed[String(parts[0])] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        for (key, value) in try AdminHTTP.stats(state.adminPort) where key != "uptime_seconds" && !key.hasPrefix("bytes_") {
            #expect(printed[key] == String(value), "\(key)")
        }
        #expect(printed["subscribers_disconnected"] == "1" && printed["publishers_disconnected"] == "1")
        #expect(printed["storage.persistence"] == "enabled" && printed["storage.directory"] == state.dataDirectory)
        #expect(printed["storage.error"] == "-" && printed["(none)"] == "")
    }

    @Test func statsJSONIsTheBrokersObject() throws {
        let state = try KnownState()
        let result = try run(["stats", "--json"], state)
        #expect(result.status == 0 && result.standardOutput.hasPrefix("{\"version\":"))
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let fetched = try AdminHTTP.object(state.adminPort, "/stats")
        #expect(Set(printed.keys) == Set(fetched.keys))
        #expect(printed["subscribers"] as? Int == 3 && printed["journal_records"] as? Int == 5)
    }

    @Test func subscribersPrintsATableOverEveryPage() throws {
        let state = try KnownState()
        let result = try run(["subscribers", "--page-size", "1"], state)
        #expect(result.status == 0 && result.standardError.isEmpty)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].matches(of: /\S+/).map { String($0.output) }
            == ["URI", "STATE", "ADDRESS", "LEASE", "ENTRIES", "DELIVERED", "MISSED"])
        let away = lines[1].wholeMatch(of: /urn:test:away +away \((\d+)s left\) +127\.0\.0\.1:\d+ +60s +2 +0 +1/)
        #expect(away.flatMap { Int($0.output.1) }.map { (1...60).contains($0) } == true, "\(lines[1])")
        #expect(lines[2].wholeMatch(of: /urn:test:live +connected +127\.0\.0\.1:\d+ +- +1 +1 +0/) != nil, "\(lines[2])")
        #expect(lines[3].hasPrefix(AdminListingTests.oddURI + " "))
        #expect(lines[4] == "3 subscribers: 2 connected, 1 away")
        let limited = try run(["subscribers", "--limit", "2"], state)
        #expect(limited.standardOutput.hasSuffix("\nshowing 2 of 3 subscribers: 1 connected, 1 away\n"))
    }

    @Test func subscribersJSONHoldsEveryRow() throws {
        let state = try KnownState()
        let result = try run(["subscribers", "--json", "--page-size", "2"], state)
        #expect(result.status == 0)
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(printed["subscribers"] as? [[String: Any]])
        #expect(rows.map { $0["uri"] as? String } == ["urn:test:away", "urn:test:live", AdminListingTests.oddURI])
        #expect(printed["total"] as? Int == 3 && rows[0]["missed"] as? Int == 1)
    }

    @Test func publishersPrintsATable() throws {
        let state = try KnownState()
        let result = try run(["publishers"], state)
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].matches(of: /\S+/).map { String($0.output) } == ["URI", "STATE", "ADDRESS", "LEASE", "MESSAGES", "ACKED"])
        let gone = lines[1].wholeMatch(of: /urn:test:gone-pub +away \((\d+)s left\) +127\.0\.0\.1:\d+ +45s +0 +-/)
        #expect(gone.flatMap { Int($0.output.1) }.map { (1...45).contains($0) } == true, "\(lines[1])")
        #expect(lines[2].wholeMatch(of: /urn:test:pub +connected +127\.0\.0\.1:\d+ +30s +1 +(\d+)/)?.output.1 == "\(state.version)")
        #expect(lines[3] == "2 publishers: 1 connected, 1 away")
    }

    @Test(arguments: [["stats"], ["stats", "--json"], ["subscribers"], ["publishers", "--json"]])
    func unreachableAdminPortExitsWithTwo(arguments: [String]) throws {
        let port = try unusedPort()
        let result = try Tool(arguments + ["--admin", "127.0.0.1:\(port)"]).finish()
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("blackboard: cannot reach the admin port at 127.0.0.1:\(port): "))
        #expect(result.standardOutput.isEmpty)
    }

    @Test(arguments: [["stats", "--admin", "localhost"], ["subscribers", "--limit", "0"], ["publishers", "--page-size", "1001"],
                      ["stats", "--admin", "[::1:7071"]])
    func badOptionsExitWithOne(arguments: [String]) throws {
        let result = try Tool(arguments).finish()
        #expect(result.status == 1 && !result.standardError.isEmpty)
    }
}
