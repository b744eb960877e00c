import BlackboardWorkflow
import Dispatch
import Foundation

/// Attempts: starting them (a child process, a sleep, an emit), stopping them, their
/// exits, their resource samples and track files. Everything here runs on `queue`.
extension WorkflowRun {
    /// Why the engine stopped an attempt.
    enum StopReason {
        case timeout, cancel
    }

    /// An attempt in progress.
    struct Attempt {
        let attempt: Int
        /// The child, for `run` activities (nil while a `sleep` runs).
        var child: ChildProcess?
        var sampler: ResourceSampler?
        var periodic: PeriodicSampler?
        var track: TrackFileReader?
        var stopReason: StopReason?
    }

    /// Starts activity `index`; returns true when it already finished (an emit, or an
    /// attempt that failed before it ran), so the loop plans again at once.
    func start(_ index: Int, now: Int64) -> Bool {
        let activity = workflow.activities[index]
        let attempt = state.activities[index].attempts + 1
        switch activity.action {
        case .sleep:
            state.activities[index].begin(now: now, logPath: nil)
            running[index] = Attempt(attempt: attempt)
            executing(index, pid: nil)
            return false
        case .emit:
            state.activities[index].begin(now: now, logPath: nil)
            executing(index, pid: nil)
            let wanted = activity.emitted(params: state.params).filter { tracker.wants($0.concept) }
            if !wanted.isEmpty { tracker.send(EventEncoding.pairs(user: wanted, context: context(activity: index))) }
            finish(index, .completed)
            return true
        case .run:
            return spawn(index, activity: activity, attempt: attempt, now: now)
        }
    }

    private func spawn(_ index: Int, activity: Activity, attempt: Int, now: Int64) -> Bool {
        let id = state.id
        var directory = self.directory.workDirectory(id)
        if let sub = activity.workingDirectory { directory += "/" + sub }
        let logPath = self.directory.logPath(id, activity: activity.name, attempt: attempt)
        state.activities[index].begin(now: now, logPath: logPath)
        if let missing = activity.inputs.first(where: { !FileManager.default.fileExists(atPath: directory + "/" + $0) }) {
            finish(index, .error("input \(missing) is missing"))
            return true
        }
        let trackPath = self.directory.trackPath(id, activity: activity.name, attempt: attempt)
        var environment = options.environment.merging(activity.environment(params: state.params)) { $1 }
        environment["BB_INSTANCE"] = id
        environment["BB_WORKFLOW"] = workflow.name
        environment["BB_ACTIVITY"] = activity.name
        environment["BB_ATTEMPT"] = String(attempt)
        environment["BB_WORKFLOW_DIR"] = workflowDirectory
        environment["BLACKBOARD_TRACK"] = trackPath
        let child: ChildProcess
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let configuration = ChildProcess.Configuration(
                command: activity.command(params: state.params) ?? "", environment: environment,
                workingDirectory: directory, logPath: logPath)
            child = try ChildProcess.spawn(configuration) { [weak self] exit in
                guard let self else { return }
                queue.async { self.exited(index, attempt: attempt, exit) }
            }
        } catch {
            finish(index, .error("cannot start: \(error)"))
            return true
        }
        state.activities[index].processGroup = child.processGroup
        let sampler = ResourceSampler(processGroup: child.processGroup, startedAt: child.startedAt)
        let periodic = PeriodicSampler(schedule: options.schedule, enabled: tracker.wantsResources) { [weak self] in
            let sample = sampler.sample()
            guard let self else { return }
            queue.async { self.publishSample(index, .during, sample) }
        }
        running[index] = Attempt(attempt: attempt, child: child, sampler: sampler, periodic: periodic,
                                 track: TrackFileReader(path: trackPath))
        executing(index, pid: child.pid)
        publishSample(index, .before, sampler.sample())
        options.report("\(activity.name): started (attempt \(attempt), pid \(child.pid))")
        startTrackTimer()
        return false
    }

    private func executing(_ index: Int, pid: Int32?) {
        let queued = state.activities[index].queuedMs ?? 0
        publish(.activityExecuting, activity: index) { .activityExecuting(queuedMs: queued, pid: pid) }
    }

    /// Stops a running attempt (SIGTERM to its process group, SIGKILL after the grace).
    func stop(_ index: Int, reason: StopReason) {
        guard var attempt = running[index], attempt.stopReason == nil else { return }
        attempt.stopReason = reason
        running[index] = attempt
        publish(.activityCanceling, activity: index) {
            .activityCanceling(reason: reason == .timeout ? .timeout : .cancel)
        }
        guard let child = attempt.child else {
            // A sleep: nothing to signal, it ends now.
            running[index] = nil
            finish(index, reason == .timeout ? .timedOut(afterMs: timeout(index), signal: nil) : .canceled(signal: nil))
            return
        }
        options.report("\(workflow.activities[index].name): stopping (\(reason == .timeout ? "timeout" : "cancel"))")
        child.terminate(grace: options.grace)
    }

    private func timeout(_ index: Int) -> Int64 { workflow.activities[index].timeoutMs ?? 0 }

    /// A child exited (handed over from its reaper thread).
    private func exited(_ index: Int, attempt number: Int, _ exit: ChildExit) {
        guard let attempt = running[index], attempt.attempt == number else { return }
        running[index] = nil
        attempt.periodic?.stop()
        if let sampler = attempt.sampler { publishSample(index, .after, sampler.finish(exit)) }
        if var track = attempt.track { readTrack(index, &track, atEnd: true, sampler: attempt.sampler) }
        let signal: Int32? = if case let .signaled(number) = exit.status { number } else { nil }
        var result: ActivityState.AttemptResult
        switch (attempt.stopReason, exit.status) {
        case (.timeout?, _): result = .timedOut(afterMs: timeout(index), signal: signal)
        case (.cancel?, _): result = .canceled(signal: signal)
        case let (nil, .exited(code)): result = .exited(code)
        case let (nil, .signaled(number)): result = .signaled(number)
        case (nil, .unknown): result = .error("the exit status could not be read")
        }
        if result == .exited(0) {
            var directory = self.directory.workDirectory(state.id)
            if let sub = workflow.activities[index].workingDirectory { directory += "/" + sub }
            if let missing = workflow.activities[index].outputs.first(where: { !FileManager.default.fileExists(atPath: directory + "/" + $0) }) {
                result = .error("output \(missing) was not produced")
            }
        }
        finish(index, result)
        persist()
        step()
    }

    /// Records the end of an attempt and publishes Faulting (a failure) and Closed (when final).
    func finish(_ index: Int, _ result: ActivityState.AttemptResult) {
        let now = Self.nowMs()
        state.activities[index].finish(result, now: now)
        let activityState = state.activities[index]
        if activityState.status == .failed {
            let retryIn = planner.retryAtMs(index, activityState).map { max(0, $0 - now) }
            let final = activityState.isFinal(retry: workflow.activities[index].retry)
            publish(.activityFaulting, activity: index) {
                .activityFaulting(ActivityFault(activityState, retryInMs: final ? nil : retryIn))
            }
            options.report("\(activityState.name): \(activityState.error ?? "failed")\(final ? "" : ", will retry")")
        }
        if activityState.isFinal(retry: workflow.activities[index].retry) { closed(index) }
    }

    /// Publishes Closed for a final activity.
    func closed(_ index: Int) {
        let activityState = state.activities[index]
        publish(.activityClosed, activity: index) { .activityClosed(ActivityClosing(activityState)) }
        if activityState.status != .failed {
            options.report("\(activityState.name): \(activityState.status.rawValue)")
        }
    }

    // MARK: Resources and track files

    /// Publishes a resource sample of activity `index` if some resource concept is wanted
    /// (and, for a track-file request, only the kinds asked for).
    func publishSample(_ index: Int, _ phase: BlackboardWorkflow.ResourceSample.Phase, _ sample: ResourceSample,
                       only kinds: [ResourceKind]? = nil) {
        let wanted: @Sendable (String) -> Bool = { [tracker] concept in
            tracker.wants(concept) && (kinds.map { $0.contains { $0.concept == concept } } ?? true)
        }
        guard ResourceKind.allCases.contains(where: { wanted($0.concept) }) else { return }
        var directory = self.directory.workDirectory(state.id)
        if let sub = workflow.activities[index].workingDirectory { directory += "/" + sub }
        let disk = wanted(ResourceKind.disk.concept) ? try? DiskSpace.measure(directory) : nil
        let io: BlackboardWorkflow.ResourceSample.IO? = sample.readBytes.flatMap { read in
            sample.writeBytes.map { .init(readBytes: read, writeBytes: $0) }
        }
        let value = BlackboardWorkflow.ResourceSample(
            phase: phase,
            cpu: .init(userSeconds: sample.userSeconds, systemSeconds: sample.systemSeconds, percent: sample.percent),
            memory: .init(rssBytes: sample.rssBytes, peakRSSBytes: sample.peakRSSBytes), io: io,
            disk: disk.map { .init(path: $0.path, freeBytes: $0.freeBytes, totalBytes: $0.totalBytes) })
        tracker.send(EventEncoding.pairs(value, context: context(activity: index), wanted: wanted))
    }

    /// Polls the track files of running activities while any runs.
    func startTrackTimer() {
        guard trackTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let period = DispatchTimeInterval.nanoseconds(max(1_000_000, options.trackPoll.clampedNanoseconds))
        timer.schedule(deadline: .now() + period, repeating: period)
        timer.setEventHandler { [weak self] in self?.pollTracks() }
        trackTimer = timer
        timer.resume()
    }

    private func pollTracks() {
        for index in running.keys.sorted() {
            guard var track = running[index]?.track else { continue }
            readTrack(index, &track, atEnd: false, sampler: running[index]?.sampler)
            running[index]?.track = track
        }
    }

    /// Publishes what an activity wrote to its track file since the last read.
    private func readTrack(_ index: Int, _ track: inout TrackFileReader, atEnd: Bool, sampler: ResourceSampler?) {
        let lines: [BlackboardWorkflowEngine.TrackLine]
        do {
            lines = try track.readNewLines(atEnd: atEnd)
        } catch {
            options.report("\(workflow.activities[index].name): track file unreadable: \(error)")
            return
        }
        let declared = Set(workflow.userConcepts)
        for line in lines {
            switch line {
            case let .line(text):
                do {
                    guard let parsed = try BlackboardWorkflow.TrackLine.parse(text, declared: declared) else { continue }
                    let wanted = parsed.user.filter { tracker.wants($0.concept) }
                    if !wanted.isEmpty { tracker.send(EventEncoding.pairs(user: wanted, context: context(activity: index))) }
                    if !parsed.resources.isEmpty, let sampler {
                        publishSample(index, .user, sampler.sample(), only: parsed.resources)
                    }
                } catch {
                    options.report("\(workflow.activities[index].name): track line ignored: \(error)")
                }
            case let .oversized(count):
                options.report("\(workflow.activities[index].name): track line of \(count) bytes ignored")
            }
        }
    }
}
