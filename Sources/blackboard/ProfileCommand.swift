import ArgumentParser
import BlackboardClient

/// `blackboard profile`: prints the aggregate subscription profile.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Register as a publisher and print the aggregate subscription profile.",
        discussion: """
            Prints {"version":3,"entries":["res.>","wf:A"]}. With --follow, keeps running and \
            prints every change as {"version":4,"added":["wf:B"],"removed":[]} (and the whole \
            profile again after a reconnect).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Keep running and print every change of the profile.")
    var follow = false

    @Flag(help: "With --follow: reconnect after a lost connection instead of exiting with status 2.")
    var reconnect = false

    func run() async throws {
        try await ExitStatus.guarding(connection) {
            let publisher = try await Publisher.connect(connection.configuration(reconnects: reconnect && follow))
            for try await update in publisher.profileUpdates() {
                Terminal.writeLine(JSONLine.encode(update))
                if !follow { break }
            }
            await publisher.close()
        }
    }
}
