import BlackboardHTTP
import BlackboardTransport
import Dispatch
import Logging

/// Credentials on the admin port (`admin.require_token`, docs/SECURITY.md):
/// `Authorization: Bearer NAME.SECRET` or `Basic` of an identity whose roles
/// include `admin`. 401 with `WWW-Authenticate` without valid credentials
/// (after the failure delay when they were wrong), 403 for an identity without
/// admin. With `admin.metrics_open_on_loopback`, `/metrics` answers loopback
/// peers without credentials. Runs on `queue`.
extension Broker {
    /// Calls `proceed` with nil when `head` may be answered, or with the refusal;
    /// at once, or after the credentials were checked off the queue.
    func authorizeAdmin(_ head: HTTPRequestHead, peer: SocketAddress?,
                        _ proceed: @escaping @Sendable (HTTPResponse?) -> Void) {
        let auth = configuration.auth
        guard auth.adminRequiresCredentials else { return proceed(nil) }
        if auth.metricsOpenOnLoopback, head.path == "/metrics", let peer, Self.isLoopback(peer.host) {
            return proceed(nil)
        }
        guard let header = head.authorization else {
            return proceed(Self.adminRefusal(401, "credentials required: Authorization: Bearer TOKEN"))
        }
        guard let credentials = AdminCredentials(header: header) else {
            return proceed(Self.adminRefusal(401, "Authorization must be Bearer NAME.SECRET or Basic"))
        }
        let name = credentials.name
        authenticator.verify(name: name, secret: credentials.secret, hash: auth.credentials[name]) { [weak self] verdict in
            guard let self else { return }
            let address = peer?.host ?? "?"
            if verdict == .busy { return proceed(Self.adminRefusal(503, "too many credential checks waiting; retry later")) }
            guard verdict == .good else {
                stats.authFailures += 1
                let current = configuration.auth
                let delay = failurePenalty.fail(address, now: Clock.monotonicNanoseconds() / 1_000_000,
                                                base: current.failureDelayMilliseconds, cap: current.failureDelayMaxMilliseconds)
                logger.warning("admin authentication failed", metadata: ["peer": "\(peer.map { "\($0)" } ?? "?")",
                                                                         "user": "\(name)", "delay_ms": "\(delay)"])
                queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay))) {
                    proceed(Self.adminRefusal(401, "authentication failed"))
                }
                return
            }
            failurePenalty.succeed(address)
            guard configuration.auth.policy.permissions(of: name).isAdmin else {
                return proceed(Self.adminRefusal(403, "\(name) has no role with admin"))
            }
            proceed(nil)
        }
    }

    static func adminRefusal(_ code: Int, _ message: String) -> HTTPResponse {
        let status: HTTPStatus = switch code {
        case 401: .unauthorized
        case 403: .forbidden
        default: .serviceUnavailable
        }
        var response = HTTPResponse(status: status, contentType: AdminResponder.json, body: AdminRendering.errorJSON(message))
        if code == 401 { response.extraHeaders = [#"WWW-Authenticate: Bearer realm="blackboard""#] }
        return response
    }
}
