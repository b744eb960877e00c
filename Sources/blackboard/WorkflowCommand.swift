import ArgumentParser
import BlackboardClient
import BlackboardWorkflow
import BlackboardWorkflowEngine
import Dispatch
import Foundation

/// `blackboard workflow run|resume|list`: the workflow engine (docs/WORKFLOWS.md).
struct WorkflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Run workflows, publishing their events through the broker.",
        discussion: """
            Exit status of run and resume: 0 the workflow succeeded; 4 it failed; 5 it was \
            canceled (SIGINT or SIGTERM); 1 a usage error or an invalid workflow file (each \
            problem printed as FILE:LINE:COL: message).
            """,
        subcommands: [WorkflowRunCommand.self, WorkflowResumeCommand.self, WorkflowListCommand.self]
    )

    static let failed: Int32 = 4
    static let canceled: Int32 = 5
}

/// What `run` and `resume` share: the broker, the state directory, the engine's knobs.
struct EngineOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Directory of instance states, work directories and logs.")
    var stateDir = "var/workflows"

    @Option(help: "Activities run at once (overrides the file's max_parallel).")
    var maxParallel: Int?

    @Option(help: "Seconds between SIGTERM and SIGKILL when an activity is stopped.")
    var grace: Double = 2

    @Option(help: "Seconds between resource samples of a running activity, at first (it backs off).")
    var sampleInterval: Double = 1

    @Flag(help: "Run without a broker: nothing is published.")
    var noBroker = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let maxParallel, !Workflow.maxParallelRange.contains(maxParallel) {
            throw ValidationError("--max-parallel must be in \(Workflow.maxParallelRange)")
        }
        if grace < 0 || sampleInterval <= 0 { throw ValidationError("--grace and --sample-interval must be positive") }
    }

    var directory: StateDirectory {
        StateDirectory(root: URL(fileURLWithPath: stateDir).standardizedFileURL.path)
    }

    func engineOptions() -> WorkflowRun.Options {
        var options = WorkflowRun.Options()
        options.maxParallel = maxParallel
        options.grace = .milliseconds(Int64(grace * 1000))
        options.schedule = SamplingSchedule(initial: .milliseconds(Int64(sampleInterval * 1000)))
        let quiet = self.quiet
        options.report = { line in if !quiet || line.hasPrefix("error") { Terminal.writeError("workflow: \(line)") } }
        return options
    }

    /// The tracking service: a registered publisher, or none (said once) without a broker.
    func tracker(instance: String) async -> Tracker {
        if noBroker {
            if !quiet { Terminal.writeError("workflow: --no-broker: events are not published") }
            return Tracker(publisher: nil)
        }
        var configuration = connection.configuration(reconnects: true)
        if connection.uri == nil { configuration.uri = "urn:blackboard:engine:\(instance)" }
        configuration.name = configuration.name ?? "workflow-engine"
        do {
            return Tracker(publisher: try await Publisher.connect(configuration))
        } catch {
            Terminal.writeError("workflow: broker unreachable at \(configuration.endpoint) (\(error)): the workflow runs, its events go nowhere")
            return Tracker(publisher: nil)
        }
    }

    /// Runs `run` to its end, canceling it on SIGINT or SIGTERM; exits with the workflow's status.
    func execute(_ run: WorkflowRun, tracker: Tracker, loaded: [String]?) async throws {
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                run.cancel(reason: number == SIGINT ? "SIGINT" : "SIGTERM", terminated: number == SIGTERM)
            }
            source.resume()
            sources.append(source)
        }
        if !quiet { Terminal.writeError("workflow: instance \(run.id)") }
        let result = await run.run(loaded: loaded)
        await tracker.close()
        for source in sources { source.cancel() }
        if result == .succeeded { return }
        throw ExitCode(run.wasCanceled ? WorkflowCommand.canceled : WorkflowCommand.failed)
    }
}

/// `blackboard workflow run FILE`.
struct WorkflowRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a workflow file as a new instance.")

    @OptionGroup var options: EngineOptions

    @Option(name: .customLong("param"), help: "A parameter, NAME=VALUE (repeatable); overrides the file's params.")
    var params: [String] = []

    @Argument(help: "The workflow file (YAML).")
    var file: String

    func run() async throws {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.writeError("blackboard: cannot read \(file)")
            throw ExitCode(ExitStatus.usage)
        }
        let bytes = Array(data)
        let workflow = try WorkflowLoading.load(bytes, file: file)
        var overrides: [String: String] = [:]
        for param in params {
            guard let equals = param.firstIndex(of: "=") else { throw ValidationError("--param \(param): expected NAME=VALUE") }
            overrides[String(param[..<equals])] = String(param[param.index(after: equals)...])
        }
        let resolved: [String: String]
        do { resolved = try workflow.params(overriding: overrides) } catch { throw ValidationError("\(error)") }
        let directory = options.directory
        let id = UUID().uuidString.lowercased()
        try directory.prepare(id)
        let state = InstanceState(
            id: id, workflow: workflow, version: DefinitionVersion.of(bytes), definitionPath: path, params: resolved,
            workDirectory: directory.workDirectory(id), createdMs: Int64(Date().timeIntervalSince1970 * 1000))
        let tracker = await options.tracker(instance: id)
        let run = WorkflowRun(workflow: workflow, definitionPath: path, state: state, directory: directory,
                              tracker: tracker, options: options.engineOptions())
        try await options.execute(run, tracker: tracker, loaded: nil)
    }
}

/// `blackboard workflow resume ID`.
struct WorkflowResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted instance, skipping the activities it completed.",
        discussion: """
            Activities that succeeded stay done; the others run again from their first attempt. \
            A process group an activity left running when the engine died is killed first. The \
            workflow file must be unchanged since the instance started, unless --force. Processes the \
            interrupted run left (its recorded process groups, and any process whose environment holds \
            BB_INSTANCE=ID) are killed first.
            """)

    @OptionGroup var options: EngineOptions

    @Flag(help: "Resume even if the workflow file changed since the instance started.")
    var force = false

    @Argument(help: "The instance id (printed by `run`, listed by `list`).")
    var id: String

    func run() async throws {
        let directory = options.directory
        var state: InstanceState
        do { state = try directory.loadState(id) } catch {
            Terminal.writeError("blackboard: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        guard state.result == nil else {
            Terminal.writeError("blackboard: \(EngineError.alreadyFinished(id))")
            throw ExitCode(ExitStatus.usage)
        }
        guard let data = FileManager.default.contents(atPath: state.definitionPath) else {
            Terminal.writeError("blackboard: cannot read \(state.definitionPath)")
            throw ExitCode(ExitStatus.usage)
        }
        let bytes = Array(data)
        let version = DefinitionVersion.of(bytes)
        if version != state.version && !force {
            Terminal.writeError("blackboard: \(EngineError.definitionChanged(path: state.definitionPath, was: state.version, now: version))")
            throw ExitCode(ExitStatus.usage)
        }
        let workflow = try WorkflowLoading.load(bytes, file: state.definitionPath)
        let recorded = state.activities.compactMap(\.processGroup).filter { !ProcessTable.liveProcesses(inGroup: $0).isEmpty }
        for group in Set(recorded).union(Leftovers.processGroups(ofInstance: id)).sorted() {
            kill(-group, SIGKILL)
            if !options.quiet { Terminal.writeError("workflow: killed process group \(group) left by the interrupted run") }
        }
        state.version = version
        let loaded: [String]
        do { loaded = try state.prepareForResume(workflow: workflow) } catch {
            Terminal.writeError("blackboard: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let tracker = await options.tracker(instance: id)
        let run = WorkflowRun(workflow: workflow, definitionPath: state.definitionPath, state: state,
                              directory: directory, tracker: tracker, options: options.engineOptions())
        try await options.execute(run, tracker: tracker, loaded: loaded)
    }
}

/// `blackboard workflow list`.
struct WorkflowListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the instances in the state directory.")

    @Option(help: "Directory of instance states.")
    var stateDir = "var/workflows"

    func run() throws {
        let directory = StateDirectory(root: URL(fileURLWithPath: stateDir).standardizedFileURL.path)
        for state in directory.instances() {
            let done = state.activities.filter { $0.status == .succeeded || $0.status == .skipped }.count
            let status = state.result?.rawValue ?? "Unfinished"
            let started = Date(timeIntervalSince1970: Double(state.createdMs) / 1000).formatted(.iso8601)
            Terminal.writeLine("\(state.id)  \(state.workflow)  \(status)  \(done)/\(state.activities.count) done  \(started)")
        }
    }
}

/// Loading a workflow file for the CLI: every problem printed as FILE:LINE:COL: message.
enum WorkflowLoading {
    static func load(_ bytes: [UInt8], file: String) throws -> Workflow {
        do {
            return try Workflow.parse(bytes: bytes)
        } catch let WorkflowError.invalidFile(errors) {
            for error in errors { Terminal.writeError(error.rendered(file: file)) }
            throw ExitCode(ExitStatus.usage)
        } catch {
            Terminal.writeError("blackboard: \(file): \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
