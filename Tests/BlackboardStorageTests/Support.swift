import BlackboardTestSupport
import BlackboardCore
@testable import BlackboardStorage

#if canImport(Glibc)
import Glibc
#endif

extension StorageRecord {
    /// A random record over a small URI set, so random sequences touch the same URIs.
    static func random(using rng: inout SplitMix64) -> StorageRecord {
        let uri = "urn:test:\(Int.random(in: 0..<6, using: &rng))-é"
        let role: Role = Bool.random(using: &rng) ? .subscriber : .publisher
        let entries = (0..<Int.random(in: 0..<5, using: &rng)).map { _ -> ProfileEntry in
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: return .exact("wf:c\(Int.random(in: 0..<50, using: &rng))")
            case 1: return .below("res.n\(Int.random(in: 0..<9, using: &rng))")
            default: return .all
            }
        }
        switch Int.random(in: 0..<9, using: &rng) {
        case 7: return .add(uri: uri, entries: entries)
        case 8: return .remove(uri: uri, entries: entries)
        case 0:
            return .subscribe(uri: uri, entries: entries, leaseSeconds: UInt32.random(in: 0..<4, using: &rng))
        case 1: return .unsubscribe(uri: uri)
        case 2: return .register(uri: uri, leaseSeconds: UInt32.random(in: 0..<4, using: &rng))
        case 3: return .unregister(uri: uri)
        case 4: return .acknowledge(uri: uri, version: UInt64.random(in: 0..<1000, using: &rng))
        case 5: return .disconnected(uri: uri, role: role, at: UInt64.random(in: 0...UInt64.max, using: &rng))
        default: return .reconnected(uri: uri, role: role)
        }
    }
}

/// A fresh temporary directory, removed (with its files) by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/blackboard-storage-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!).map { String(cString: $0) } }
        precondition(made != nil, "mkdtemp failed")
        path = made!
    }

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String) throws -> [UInt8]? { try FileIO.read(file(name)) }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try FileIO.replace(file(name), with: bytes, directory: path)
    }

    func remove() {
        for name in [Recovery.snapshotFile, Recovery.journalFile, DataDirectory.lockFile] { unlink(file(name)) }
        rmdir(path)
    }
}
