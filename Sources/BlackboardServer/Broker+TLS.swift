import BlackboardTLS
import BlackboardTransport

/// TLS on the client listener. The broker holds one ``TLSContext`` at a time;
/// each accepted socket is wrapped with the current one and keeps it for life,
/// so replacing the context (a certificate reload) affects new connections only.
///
/// Everything else about TLS is the transport's business: the handshake runs
/// inside the session's first reads (Broker+IO.swift handles the crossed
/// readiness it can cause), and the liveness timer drops connections still
/// handshaking after `handshakeTimeoutMilliseconds`.
extension Broker {
    /// The transport for a newly accepted socket: TLS with the current context
    /// when TLS is on, plain TCP otherwise; nil (socket closed, logged) when
    /// OpenSSL cannot make the connection object. Runs on `queue`.
    func transport(for socket: Socket, peer: SocketAddress) -> Transport? {
        guard let context = tlsContext else { return PlainTransport(socket: socket) }
        do {
            return try TLSTransport(socket: socket, context: context)
        } catch {
            socket.close()
            logger.warning("TLS connection refused", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return nil
        }
    }

    /// Re-reads the certificate chain, key and CA bundle named by the current
    /// configuration (SIGHUP) and makes them the context of new connections;
    /// open connections keep the context they started with. When the files
    /// don't load, the running context stays and the error is returned.
    /// Does nothing (and succeeds) when TLS is off.
    public func reloadCertificates() -> Result<Void, TLSError> {
        guard let tls = queue.sync(execute: { configuration.tls }) else { return .success(()) }
        do throws(TLSError) {
            let context = try TLSContext(tls)
            queue.sync { tlsContext = context }
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}
