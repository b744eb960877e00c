import ArgumentParser

/// The root command: `blackboard pub|sub|profile|ping|stats|subscribers|publishers|log|monitor|passwd`.
struct BlackboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blackboard",
        abstract: "Publish to, subscribe at and inspect a blackboardd broker.",
        discussion: """
            Exit status: 0 success; 1 usage error or unreadable input; 2 cannot connect \
            or connection lost (for stats, subscribers and publishers: the admin port cannot be \
            reached or does not answer in time); 3 the broker answered with an error (including \
            a SYNC timeout, or an admin port error status).
            Errors are printed on standard error as 'blackboard: …' with the broker's host:port.
            """,
        subcommands: [
            PubCommand.self, SubCommand.self, ProfileCommand.self, PingCommand.self,
            StatsCommand.self, SubscribersCommand.self, PublishersCommand.self, WorkflowCommand.self,
            LogCommand.self, MonitorCommand.self, PasswdCommand.self,
        ]
    )

    /// Parses and runs a subcommand. Usage errors exit with status 1 instead of
    /// ArgumentParser's EX_USAGE (64), so the statuses stay 0–3.
    static func runMain() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Terminal.writeError(fullMessage(for: error))
                Terminal.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
