import Foundation

#if canImport(Glibc)
import Glibc
#endif

// SIGINT and SIGTERM for the long-running subcommands (`log`, `monitor serve`), which
// must stop cleanly: close the subscriber (QUIT), let the last lines reach the file.
//
// The handler is a plain sigaction handler that writes the signal number to a pipe
// (write(2) is async-signal-safe); a thread of ours reads the pipe and runs the Swift
// code. Installed synchronously, so a signal that arrives once `install` returned is
// never lost, unlike a Dispatch signal source, which registers asynchronously.

/// The pipe's write end, for the handler. Set once, by `ShutdownSignals.install`,
/// before the handlers that read it are installed; never changed after.
nonisolated(unsafe) private var shutdownPipeWriteEnd: Int32 = -1

private func forwardShutdownSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(shutdownPipeWriteEnd, &byte, 1)
}

/// Turns SIGINT and SIGTERM into calls of a handler on an ordinary thread.
enum ShutdownSignals {
    /// Installs the handlers (call once per process). `handler` gets the signal number
    /// and how many shutdown signals arrived so far (1 for the first; commands exit at
    /// once on the second, for when a clean stop hangs).
    static func install(_ handler: @escaping @Sendable (_ signal: Int32, _ count: Int) -> Void) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        shutdownPipeWriteEnd = fds[1]
        let readEnd = fds[0]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = forwardShutdownSignal
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        Thread.detachNewThread {
            var count = 0
            var byte: UInt8 = 0
            while true {
                let result = read(readEnd, &byte, 1)
                if result < 0 && errno == EINTR { continue }
                if result <= 0 { return }
                count += 1
                handler(Int32(byte), count)
            }
        }
    }
}
