import ArgumentParser

/// `blackboard subscribers`: the subscribers, connected and away.
struct SubscribersCommand: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribers",
        abstract: "List the broker's subscribers, connected and away, from its admin port.",
        discussion: """
            One row per subscriber, sorted by URI: its state (away: until its lease runs out), \
            address, lease, profile entries, deliveries on its current connection, and \
            deliveries missed while away. Reads every page of /subscribers (docs/OPERATIONS.md).
            """
    )

    @OptionGroup var admin: AdminOptions
    @OptionGroup var listing: ListingOptions

    static let name = "subscribers"
    static let singular = "subscriber"
    static let headings = ["ENTRIES", "DELIVERED", "MISSED"]

    static func cells(_ row: [String: Any]) -> [String] {
        [JSONText.scalar(row["profile_entries"]), JSONText.scalar(row["deliveries"]), JSONText.scalar(row["missed"])]
    }
}
