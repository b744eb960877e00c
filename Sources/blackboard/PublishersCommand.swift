import ArgumentParser

/// `blackboard publishers`: the registered publishers, connected and away.
struct PublishersCommand: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "publishers",
        abstract: "List the broker's registered publishers, connected and away, from its admin port.",
        discussion: """
            One row per publisher, sorted by URI: its state (away: until its lease runs out), \
            address, lease, messages published on its current connection, and the last \
            aggregate profile version it acknowledged. Reads every page of /publishers (docs/OPERATIONS.md).
            """
    )

    @OptionGroup var admin: AdminOptions
    @OptionGroup var listing: ListingOptions

    static let name = "publishers"
    static let singular = "publisher"
    static let headings = ["MESSAGES", "ACKED"]

    static func cells(_ row: [String: Any]) -> [String] {
        [JSONText.scalar(row["messages_published"]), JSONText.scalar(row["acknowledged_version"])]
    }
}
