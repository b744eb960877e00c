import BlackboardTLS
import BlackboardTransport
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection of a ``Session`` and the two threads that serve it: a
/// reader blocked in `read` and a writer that drains the session's output
/// buffer. A reconnect makes a new link (and, over TLS, a new handshake); a
/// link is never reused.
///
/// The descriptor is shut down (both directions) to stop the threads, and
/// closed only after both have finished, so no thread ever touches a
/// descriptor number that the process may have reused.
final class Link: Sendable {
    /// The connected stream: a blocking socket, or TLS over a non-blocking one.
    let stream: LinkStream
    /// Counts links of one session from 1; the first is the initial connection.
    let generation: UInt64
    /// Signalled when output is queued for an idle writer, or to stop it.
    let wake = DispatchSemaphore(value: 0)

    private struct Lifecycle: Sendable {
        var runningThreads = 2
        var isShutDown = false
        var isClosed = false
        var writeFailure: String?
    }

    private let lifecycle = Locked(Lifecycle())

    init(stream: LinkStream, generation: UInt64) {
        self.stream = stream
        self.generation = generation
    }

    /// Stops both threads: shuts the socket down and wakes the writer. Idempotent.
    func terminate() {
        let fd = stream.fileDescriptor
        lifecycle.withLock { state in
            if !state.isShutDown && !state.isClosed {
                state.isShutDown = true
                _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
            }
        }
        wake.signal()
    }

    /// Why the writer stopped, when it stopped on an error first (TLS links:
    /// the reader reports the loss, with this reason unless TLS gave one).
    var writeFailure: String? { lifecycle.withLock { $0.writeFailure } }

    /// Records the writer's error for the reader to report.
    func writeFailed(_ reason: String) {
        lifecycle.withLock { $0.writeFailure = $0.writeFailure ?? reason }
    }

    /// Called once by each of the two threads as it exits; the last one closes the stream.
    /// Over TLS each also frees its OpenSSL thread state (``TLSThread/releaseState()``).
    func threadFinished() {
        let stream = stream
        lifecycle.withLock { state in
            state.runningThreads -= 1
            if state.runningThreads == 0 && !state.isClosed {
                state.isClosed = true
                stream.close()
            }
        }
        if stream.isTLS { TLSThread.releaseState() }
    }
}
