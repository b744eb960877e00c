import BlackboardCore

/// A client-to-broker frame (PROTOCOL.md, "Client to broker").
public enum Command: Equatable, Sendable {
    /// `HELLO uri [key=value …]`: names the client.
    case hello(Hello)
    /// `SUB n` + entries: replaces the whole profile.
    case subscribe([ProfileEntry])
    /// `ADD n` + entries: adds entries to the profile.
    case add([ProfileEntry])
    /// `DEL n` + entries: removes entries from the profile.
    case remove([ProfileEntry])
    /// `UNSUB`: drops the profile.
    case unsubscribe
    /// `REG`: registers the client as a publisher.
    case register
    /// `UNREG`: unregisters the publisher.
    case unregister
    /// `PUB n` + pairs: publishes one message.
    case publish(Publication)
    /// `ACK version`: the publisher applied the aggregate profile up to `version`.
    case acknowledge(version: UInt64)
    /// `SYNC [timeout_ms]`: waits until every publisher acknowledged the client's last change.
    case sync(timeoutMilliseconds: UInt64?)
    /// `PING`: liveness check and barrier.
    case ping
    /// `PONG`: answer to the broker's `PING`.
    case pong
    /// `QUIT`: the broker flushes and closes the connection.
    case quit
}
