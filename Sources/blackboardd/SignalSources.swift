// Making the daemon's Dispatch signal sources dependable from the moment it reports
// ready. Dispatch on Linux registers a signal source asynchronously, on its manager
// thread: it replaces the `SIG_IGN` the daemon sets with a handler of its own and
// opens a signalfd. A signal sent before that has finished was lost: measured with a
// SIGHUP sent the moment `READY=1` arrived, 10 runs in 60 lost it.
#if canImport(Glibc)
import Glibc
#endif

/// Blocks `numbers` in the calling thread, and so in the threads it starts later.
///
/// Dispatch's worker threads block these signals already; the main thread did not, so
/// a signal sent during registration met `SIG_IGN` there and was dropped at once.
/// Blocked, most such signals stay pending until the signalfd takes them, though not
/// all (4 in 10 were still lost), hence ``waitForSignalSources(_:timeout:)``. Call from
/// the main thread before making the sources.
func blockSignals(_ numbers: [Int32]) {
    var set = sigset_t()
    sigemptyset(&set)
    for number in numbers { sigaddset(&set, number) }
    pthread_sigmask(SIG_BLOCK, &set, nil)
}

/// Waits, at most `timeout` seconds, until Dispatch has installed its handler for each
/// of `numbers` in place of `SIG_IGN`; whether it did. The daemon reports ready only
/// after this (with it, no SIGHUP sent right after `READY=1` was lost in 200 runs).
@discardableResult
func waitForSignalSources(_ numbers: [Int32], timeout: Double = 2) -> Bool {
    let ignore = unsafeBitCast(SIG_IGN, to: Int.self)
    var waited = 0.0
    while true {
        let registered = numbers.allSatisfy { number in
            var action = sigaction()
            sigaction(number, nil, &action)
            return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) != ignore
        }
        if registered { return true }
        if waited >= timeout { return false }
        usleep(1_000)
        waited += 0.001
    }
}
