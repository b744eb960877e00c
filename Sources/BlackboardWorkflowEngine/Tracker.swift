import BlackboardClient
import BlackboardProtocol
import BlackboardWorkflow

/// The tracking service of seed 004 §3.2: it turns engine events, resource samples and
/// user events into blackboard messages, and publishes them through a registered
/// ``Publisher``, which holds the aggregate subscription profile.
///
/// Filtering at the source: every `publish` call first asks the profile whether the
/// event's concept is wanted, and only then calls the closure that builds the event, so
/// an event nobody subscribed to costs one lookup. Without a broker (`--no-broker`, or
/// the broker unreachable) nothing is wanted and nothing is built.
///
/// Thread-safe; the engine calls it from its queue.
public final class Tracker: Sendable {
    private let publisher: Publisher?
    private let tally = Locked(Counters())

    /// What the tracker did: messages published, and events not built because nobody wanted them.
    public struct Counters: Sendable, Equatable {
        public var published = 0
        public var notWanted = 0
        public var failed = 0
    }

    /// A tracker publishing through `publisher`; nil publishes nothing.
    public init(publisher: Publisher?) {
        self.publisher = publisher
    }

    /// Whether a broker is attached.
    public var isConnected: Bool { publisher != nil }

    /// The counters so far.
    public var counters: Counters { tally.withLock { $0 } }

    /// Whether some subscriber wants `concept`.
    public func wants(_ concept: String) -> Bool {
        publisher?.wants(concept) ?? false
    }

    /// Whether some subscriber wants any resource concept: the periodic samplers run only then.
    public var wantsResources: Bool {
        ResourceKind.allCases.contains { wants($0.concept) }
    }

    /// Publishes the event of `kind` if its concept is wanted: `build` makes the event
    /// and the context only then. Returns whether a message was sent.
    @discardableResult
    public func publish(_ kind: EventKind, build: () -> (EngineEvent, EventContext)) -> Bool {
        guard wants(kind.concept) else {
            tally.withLock { $0.notWanted += 1 }
            return false
        }
        let (event, context) = build()
        return send(EventEncoding.pairs(event, context: context))
    }

    /// Sends prepared pairs (a resource sample or a user event); an empty list sends nothing.
    @discardableResult
    public func send(_ pairs: [EventEncoding.ConceptValue]) -> Bool {
        guard let publisher, !pairs.isEmpty else { return false }
        do {
            _ = try publisher.publish(pairs.map { Pair($0.concept, $0.value) })
            tally.withLock { $0.published += 1 }
            return true
        } catch {
            tally.withLock { $0.failed += 1 }
            return false
        }
    }

    /// Calls `changed` on every change of the aggregate profile (from a task of its own),
    /// until the publisher closes. Nothing happens without a broker.
    public func observeProfile(_ changed: @escaping @Sendable () -> Void) {
        guard let publisher else { return }
        Task {
            do {
                for try await _ in publisher.profileUpdates() { changed() }
            } catch {}
        }
    }

    /// Waits until everything published has been handed to the broker, then closes.
    public func close() async {
        guard let publisher else { return }
        try? await publisher.flush()
        await publisher.close()
    }
}
