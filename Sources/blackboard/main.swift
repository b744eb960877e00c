// The `blackboard` command-line client; see BlackboardCommand.swift.
await BlackboardCommand.runMain()
