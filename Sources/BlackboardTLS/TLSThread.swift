internal import COpenSSL

/// OpenSSL's per-thread state (its error queue, the thread's random generators).
public enum TLSThread {
    /// Frees the calling thread's OpenSSL state now rather than in the thread's
    /// exit destructors. A client thread that used TLS calls it before it reports
    /// a result that may let the process exit: otherwise `exit` can run while the
    /// thread is still being torn down, with the state unlinked but not yet freed,
    /// which LeakSanitizer reported (`make test-sanitize`, a CLI whose handshake
    /// had just failed). OpenSSL sets the state up again if the thread goes on.
    public static func releaseState() {
        OPENSSL_thread_stop()
    }
}
