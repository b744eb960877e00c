import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The service manager's end of the readiness protocol, for tests: a non-blocking
/// AF_UNIX datagram socket bound where `NOTIFY_SOCKET` will point, collecting
/// each datagram it is sent as one message.
final class NotifySocket {
    /// The value to put in the daemon's `NOTIFY_SOCKET`.
    let name: String
    private let fd: Int32
    private let directory: URL?
    /// The messages received so far, oldest first.
    private(set) var messages: [String] = []

    /// A socket at a filesystem path in a fresh temporary directory.
    static func atPath() throws -> NotifySocket {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blackboard-notify-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("notify.sock").path
        return try NotifySocket(name: path, sunPath: Array(path.utf8) + [0], directory: directory)
    }

    /// A socket with an abstract name (no file): `NOTIFY_SOCKET=@name`.
    static func abstract() throws -> NotifySocket {
        let name = "blackboard-notify-\(UUID())"
        return try NotifySocket(name: "@" + name, sunPath: [0] + Array(name.utf8), directory: nil)
    }

    private init(name: String, sunPath: [UInt8], directory: URL?) throws {
        self.name = name
        self.directory = directory
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        if fd < 0 { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: sunPath) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + sunPath.count)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        if status < 0 {
            let code = errno
            close(fd)
            throw TestFailure("bind \(name): errno \(code)")
        }
    }

    deinit {
        close(fd)
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Reads every datagram waiting, without blocking.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return }
            messages.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
    }

    /// Waits until a message after the first `after` ones has `field` (e.g. `READY=1`)
    /// among its lines, and returns its index and its fields by key.
    func waitFor(_ field: String, after: Int = 0, timeout: Double = 20) throws -> (index: Int, fields: [String: String]) {
        var found: Int?
        try waitUntil(timeout: timeout, "a notification with \(field) (received: \(messages))") {
            drain()
            found = messages.indices.dropFirst(after).first { messages[$0].split(separator: "\n").contains { $0 == field } }
            return found != nil
        }
        var fields: [String: String] = [:]
        for line in messages[found!].split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return (found!, fields)
    }
}
