import BlackboardTLS
import BlackboardTransport

extension ClientTLS {
    /// The OpenSSL context these settings describe: the CA bundle, the client
    /// certificate and key loaded and checked. Made once per client, so
    /// reconnections reuse it (replacing the files needs a new client).
    /// - Throws: ``ClientError/tlsSetupFailed(_:)`` naming the file and OpenSSL's reason.
    func makeContext() throws(ClientError) -> TLSContext {
        var configuration = TLSConfiguration.client(
            caFile: caFile, certificateChainFile: certificateFile, privateKeyFile: privateKeyFile)
        configuration.minimumVersion = minimumVersion
        do {
            return try TLSContext(configuration)
        } catch {
            throw .tlsSetupFailed(error.description)
        }
    }

    /// Wraps a freshly connected socket and runs the handshake by `deadline`.
    /// - Throws: ``ClientError/tlsFailed(endpoint:reason:)`` with OpenSSL's reason.
    func handshake(
        _ socket: Socket, context: TLSContext, host: String, endpoint: String,
        receiveTimeout: Duration?, deadline: ContinuousClock.Instant
    ) throws(ClientError) -> TLSClientStream {
        let stream: TLSClientStream
        do {
            stream = try TLSClientStream(
                socket: socket, context: context, serverName: serverName ?? host,
                verifiesHostName: verifiesHostName, receiveTimeout: receiveTimeout)
        } catch {
            throw .tlsFailed(endpoint: endpoint, reason: error.description)
        }
        do {
            try stream.handshake(deadline: deadline)
        } catch {
            stream.close()
            throw .tlsFailed(endpoint: endpoint, reason: error.description)
        }
        return stream
    }
}
