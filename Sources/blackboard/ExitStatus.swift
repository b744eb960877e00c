import ArgumentParser
import BlackboardClient

/// The exit statuses a shell user can act on, and the mapping of failures to them.
enum ExitStatus {
    /// A usage error or unreadable input.
    static let usage: Int32 = 1
    /// The broker could not be reached, or the connection broke.
    static let connection: Int32 = 2
    /// The broker answered with an error.
    static let broker: Int32 = 3

    /// Runs `body`; prints a failure as `blackboard: …` and exits with its status.
    static func guarding(_ options: ConnectionOptions, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ClientError {
            Terminal.writeError("blackboard: \(message(for: error, endpoint: options.endpoint))")
            throw ExitCode(status(for: error))
        } catch let error as InputError {
            Terminal.writeError("blackboard: \(error)")
            throw ExitCode(usage)
        }
    }

    /// Runs an admin-port command; prints a failure as `blackboard: …` and exits with its status.
    static func guarding(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as AdminError {
            Terminal.writeError("blackboard: \(error)")
            throw ExitCode(error.status)
        }
    }

    /// The status for a client error.
    static func status(for error: ClientError) -> Int32 {
        switch error {
        case .connectionFailed, .connectionLost, .closed, .tlsFailed: return connection
        case .serverError, .timeout, .authenticationFailed: return broker
        case .invalidArgument, .tlsSetupFailed: return usage
        }
    }

    /// The message, naming the endpoint when the error does not already.
    static func message(for error: ClientError, endpoint: String) -> String {
        switch error {
        case .connectionFailed, .connectionLost, .tlsFailed, .tlsSetupFailed: return error.description
        case .serverError, .timeout, .closed, .invalidArgument, .authenticationFailed: return "\(endpoint): \(error)"
        }
    }
}

/// Input the command cannot use: a bad JSON line or argument.
struct InputError: Error, CustomStringConvertible {
    let description: String
}
