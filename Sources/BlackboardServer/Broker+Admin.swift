import BlackboardHTTP
import BlackboardTransport
import Dispatch
import Logging

/// The admin port: a second listener speaking HTTP/1.1 (`/healthz`, `/stats`,
/// `/metrics` and the listings; docs/OPERATIONS.md). Runs on `queue` like
/// everything else; admin connections count toward `maxConnections`, answer one
/// request and close. What the endpoints read is in Broker+AdminSource.swift.
///
/// With `tls.admin` the port speaks HTTPS with the client listener's current
/// context (Broker+TLS.swift): the handshake runs inside the first reads, as on
/// the client listener, and a connection still handshaking at the deadline, or
/// whose first bytes are not TLS (plain HTTP), is dropped without an answer.
extension Broker {
    /// How long an admin connection may take to send its request and read the answer.
    static let adminDeadlineMilliseconds = 2_000

    /// Binds the admin listener if configured. Called by ``start()``.
    func startAdmin() throws(SocketError) -> SocketAddress? {
        guard let port = configuration.adminPort else { return nil }
        let (socket, address) = try Listener.listen(host: configuration.adminHost, port: port, backlog: 64)
        queue.sync {
            adminAcceptGate = AcceptGate(listener: socket, queue: queue) { [unowned self] in acceptAdmin(socket) }
        }
        logger.info("admin listening on \(address)\(configuration.adminTLS ? " (TLS)" : "")")
        return address
    }

    /// Stops the admin listener and drops its connections (shutdown).
    func stopAdmin() {
        adminAcceptGate?.cancel()
        adminAcceptGate = nil
        for connection in Array(adminConnections.values) { closeAdmin(connection) }
    }

    /// Accepts pending admin connections; refuses with 503 at the connection limit.
    func acceptAdmin(_ listener: Socket) {
        for _ in 0..<64 {
            let accepted: (Socket, SocketAddress)?
            do {
                accepted = try listener.accept()
            } catch {
                logger.warning("admin accept failed, pausing admin accepts for 100 ms: \(error)")
                adminAcceptGate?.pauseAfterFailure()
                return
            }
            guard let (socket, peer) = accepted else { return }
            if refusesConnections {
                stats.connectionsRejected += 1
                // A TLS client would read the plain answer as a broken handshake.
                if configuration.adminTLS {
                    socket.close()
                    continue
                }
                let refusal = HTTPResponse(status: .serviceUnavailable, contentType: AdminResponder.json,
                                           body: AdminRendering.errorJSON("connection limit reached"))
                refusal.encoded().withUnsafeBytes { _ = socket.write(from: $0) }
                socket.close()
                continue
            }
            if configuration.plainLoopbackOnly && !configuration.adminTLS && !Self.isLoopback(peer.host) {
                stats.connectionsRejected += 1
                socket.close()
                logger.warning("admin connection refused: not from loopback (listen.plain_loopback_only)",
                               metadata: ["peer": "\(peer)"])
                continue
            }
            admitAdmin(socket, peer: peer)
        }
    }

    private func admitAdmin(_ socket: Socket, peer: SocketAddress) {
        let transport: Transport
        if configuration.adminTLS {
            guard let tls = self.transport(for: socket, peer: peer) else { return }
            transport = tls
        } else {
            transport = PlainTransport(socket: socket)
        }
        nextConnectionID += 1
        let connection = AdminConnection(id: nextConnectionID, transport: transport)
        connection.peer = peer
        adminConnections[connection.id] = connection
        // The connection itself holds the group until closeAdmin, so the
        // descriptor outlives the read source cancelled once the head is read.
        connection.sources.enter()
        let source = DispatchSource.makeReadSource(fileDescriptor: socket.fd, queue: queue)
        source.setEventHandler { [unowned self, unowned connection] in adminReadable(connection) }
        connection.sources.enter()
        source.setCancelHandler { [group = connection.sources] in group.leave() }
        connection.sources.notify(queue: queue) { transport.close() }
        connection.readSource = source
        source.resume()
        queue.asyncAfter(deadline: .now() + .milliseconds(Broker.adminDeadlineMilliseconds)) { [weak self, weak connection] in
            guard let self, let connection, !connection.isClosed else { return }
            if connection.response == nil && !connection.transport.isHandshaking {
                answer(connection, AdminResponder.timedOut.encoded())
            } else {
                closeAdmin(connection)
            }
        }
    }

    /// Reads what the client sent and answers once the head is whole or refused.
    func adminReadable(_ connection: AdminConnection) {
        guard connection.response == nil else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        switch chunk.withUnsafeMutableBytes({ connection.transport.read(into: $0) }) {
        case let .transferred(count):
            connection.received += chunk[..<count]
        case .wouldBlock:
            // A TLS handshake whose output the socket would not take waits for
            // writable; otherwise no write source may run (it would spin).
            if connection.transport.readWaitsForWritable {
                watchWritable(connection)
            } else {
                connection.writeSource?.cancel()
                connection.writeSource = nil
            }
            return
        case .closed:
            closeAdmin(connection)
            return
        case let .failed(error):
            if configuration.adminTLS { logger.debug("admin connection dropped: \(error)") }
            closeAdmin(connection)
            return
        }
        let response: HTTPResponse
        var headOnly = false
        switch HTTPRequestHead.parse(connection.received) {
        case .incomplete: return
        case let .failure(error): response = AdminResponder.respond(to: error)
        case let .request(head):
            // Reading stops while credentials are checked (Broker+AdminAuth.swift).
            connection.readSource?.cancel()
            connection.readSource = nil
            return authorizeAdmin(head, peer: connection.peer) { [weak self, weak connection] refusal in
                guard let self, let connection, !connection.isClosed, connection.response == nil else { return }
                let response = refusal ?? AdminResponder.respond(to: head, from: AdminView(broker: self))
                answer(connection, response.encoded(headOnly: head.isHead))
            }
        }
        answer(connection, response.encoded(headOnly: headOnly))
    }

    /// Stops reading and starts writing `bytes`.
    private func answer(_ connection: AdminConnection, _ bytes: [UInt8]) {
        connection.response = bytes
        connection.readSource?.cancel()
        connection.readSource = nil
        adminWritable(connection)
    }

    /// Writes as much of the response as the socket takes; closes when done.
    /// Before the response exists, writable readiness is a TLS handshake read
    /// that waited for it (``adminReadable(_:)``).
    func adminWritable(_ connection: AdminConnection) {
        guard !connection.isClosed else { return }
        guard let response = connection.response else { return adminReadable(connection) }
        while connection.written < response.count {
            let result = response.withUnsafeBytes {
                connection.transport.write(from: UnsafeRawBufferPointer(rebasing: $0[connection.written...]))
            }
            switch result {
            case let .transferred(count):
                connection.written += count
            case .wouldBlock where connection.transport.writeWaitsForReadable:
                // Only a handshake makes a write wait for input, and the
                // response is written after it (renegotiation is refused).
                closeAdmin(connection)
                return
            case .wouldBlock:
                watchWritable(connection)
                return
            case .closed, .failed:
                closeAdmin(connection)
                return
            }
        }
        // TLS: the transport's close (after the sources) sends close_notify first.
        if !configuration.adminTLS { Socket(fd: connection.transport.fileDescriptor).shutdownWrite() }
        closeAdmin(connection)
    }

    /// Calls ``adminWritable(_:)`` whenever the socket can take output.
    private func watchWritable(_ connection: AdminConnection) {
        guard connection.writeSource == nil else { return }
        let source = DispatchSource.makeWriteSource(fileDescriptor: connection.transport.fileDescriptor, queue: queue)
        source.setEventHandler { [unowned self, unowned connection] in adminWritable(connection) }
        connection.sources.enter()
        source.setCancelHandler { [group = connection.sources] in group.leave() }
        connection.writeSource = source
        source.resume()
    }

    /// Cancels the connection's sources; the descriptor closes after the last one.
    func closeAdmin(_ connection: AdminConnection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        adminConnections[connection.id] = nil
        connection.readSource?.cancel()
        connection.writeSource?.cancel()
        connection.readSource = nil
        connection.writeSource = nil
        connection.sources.leave()
    }
}
