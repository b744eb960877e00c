import ArgumentParser
import BlackboardMonitor

/// `blackboard monitor status [ID]`: the instances, or one instance with its activities.
struct MonitorStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the status of workflow instances (GET /instances), or of one with its activities (GET /instances/ID)."
    )

    @OptionGroup var http: MonitorHTTPOptions

    @Option(help: "Only instances in this state: running, succeeded, failed or aborted.")
    var state: String?

    @Option(help: "Only instances of this workflow.")
    var workflow: String?

    @Option(help: "Show at most this many instances, latest started first (1-1000).")
    var limit = 100

    @Argument(help: "An instance id: show that instance and its activities.")
    var instance: String?

    func run() throws {
        try ExitStatus.guarding {
            if let instance {
                guard let answer = try http.get("/instances/" + AdminClient.queryValue(instance)) else { return }
                MonitorTables.instance(answer).forEach(Terminal.writeLine)
                return
            }
            var query = ["limit=\(limit)"]
            if let state { query.append("state=" + AdminClient.queryValue(state)) }
            if let workflow { query.append("workflow=" + AdminClient.queryValue(workflow)) }
            guard let answer = try http.get("/instances?" + query.joined(separator: "&")) else { return }
            MonitorTables.instances(answer).forEach(Terminal.writeLine)
        }
    }
}

/// `blackboard monitor activity [NAME]`: per-activity statistics.
struct MonitorActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Show per-activity statistics (GET /activities), or one activity per version with its histogram (GET /activities/NAME)."
    )

    @OptionGroup var http: MonitorHTTPOptions

    @Option(help: "Only this workflow's activities.")
    var workflow: String?

    @Option(help: "Only this version (definition hash); with NAME.")
    var version: String?

    @Argument(help: "The activity's name.")
    var name: String?

    func validate() throws {
        if version != nil && name == nil { throw ValidationError("--version needs an activity NAME") }
    }

    func run() throws {
        try ExitStatus.guarding {
            var query: [String] = []
            if let workflow { query.append("workflow=" + AdminClient.queryValue(workflow)) }
            if let version { query.append("version=" + AdminClient.queryValue(version)) }
            let suffix = query.isEmpty ? "" : "?" + query.joined(separator: "&")
            if let name {
                guard let answer = try http.get("/activities/" + AdminClient.queryValue(name) + suffix) else { return }
                MonitorTables.activity(answer).forEach(Terminal.writeLine)
            } else {
                guard let answer = try http.get("/activities" + suffix) else { return }
                MonitorTables.activities(answer).forEach(Terminal.writeLine)
            }
        }
    }
}

/// `blackboard monitor eta ID`: the estimated time to completion of an instance.
struct MonitorETACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eta",
        abstract: "Show the estimated time to completion of an instance (GET /eta/ID).",
        discussion: """
            Each unfinished activity is estimated by the median duration of its past successful \
            runs (same version, else any version, else the monitor's default), less the time it has \
            been running; the instance's remaining time is the longest remaining path through the \
            activity DAG (docs/WORKFLOWS.md, "ETA").
            """
    )

    @OptionGroup var http: MonitorHTTPOptions

    @Argument(help: "The instance id.")
    var instance: String

    func run() throws {
        try ExitStatus.guarding {
            guard let answer = try http.get("/eta/" + AdminClient.queryValue(instance)) else { return }
            MonitorTables.eta(answer).forEach(Terminal.writeLine)
        }
    }
}
