import BlackboardTransport
import Dispatch

/// A listening socket's read source on the broker queue, with the policy the
/// client and admin listeners share: after an accept failure (EMFILE, ENFILE,
/// ENOMEM) the listener stays readable, so accepting pauses for a moment
/// instead of spinning. Cancelling closes the listening socket. Used only on
/// the broker's queue.
final class AcceptGate: @unchecked Sendable {
    // @unchecked Sendable: created and used only on the broker's queue; the
    // resume block it schedules runs on that queue too.
    /// How long accepting stays paused after a failure.
    static let pause = DispatchTimeInterval.milliseconds(100)

    private let source: DispatchSourceRead
    private let queue: DispatchQueue
    private var paused = false
    private var cancelled = false

    /// Starts watching `listener`; `onReadable` runs on `queue` when connections wait.
    init(listener: Socket, queue: DispatchQueue, onReadable: @escaping () -> Void) {
        self.queue = queue
        source = DispatchSource.makeReadSource(fileDescriptor: listener.fd, queue: queue)
        source.setEventHandler(handler: onReadable)
        source.setCancelHandler { listener.close() }
        source.resume()
    }

    /// Suspends accepting for ``pause``; a second call while paused does nothing.
    func pauseAfterFailure() {
        guard !paused, !cancelled else { return }
        paused = true
        source.suspend()
        queue.asyncAfter(deadline: .now() + Self.pause) { [self] in
            guard paused, !cancelled else { return }
            paused = false
            source.resume()
        }
    }

    /// Stops accepting for good and closes the listening socket. Idempotent.
    func cancel() {
        guard !cancelled else { return }
        cancelled = true
        // A suspended source must be resumed before it can be cancelled.
        if paused {
            paused = false
            source.resume()
        }
        source.cancel()
    }
}
