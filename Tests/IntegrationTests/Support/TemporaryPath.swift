import Foundation

/// A path in the temporary directory, removed with everything under it when
/// the value goes away. Nothing is created: daemons make their data directory.
final class TemporaryPath {
    let path: String

    init(_ prefix: String = "blackboard-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
