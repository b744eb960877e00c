// The access file and the credentials file parsers (BlackboardAccess) on arbitrary
// text. Checks, beyond not crashing:
//   - an error names a line that exists;
//   - a parsed access file's identities name only defined roles, and every identity's
//     permissions (and the anonymous ones) agree with a reference written here from
//     ProfileEntry.matches alone: a subscribe entry is permitted iff an allow entry
//     covers it and no deny entry intersects it, a concept may be published iff an
//     allow entry matches it and no deny entry does; tried on every listed entry and
//     on concepts derived from them;
//   - a parsed credentials file re-reads its own text to the same file.

import BlackboardAccess
import BlackboardCore
import FuzzSupport
import FuzzerEntry

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzInput(data, size).bytes, as: UTF8.self)
    let lineCount = text.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    do {
        let policy = try AccessPolicy(parsing: text)
        for (_, roles) in policy.identities {
            require(roles.allSatisfy { policy.roles[$0] != nil }, "identities name defined roles")
        }
        for identity in policy.identities.keys { checkAgainstReference(policy.permissions(of: identity)) }
        if let anonymous = policy.anonymousPermissions { checkAgainstReference(anonymous) }
    } catch {
        require((1...lineCount).contains(error.line), "access error line \(error.line) exists")
    }
    do {
        let file = try CredentialsFile(parsing: text)
        require((try? CredentialsFile(parsing: file.text)) == file, "credentials text re-reads to the same file")
    } catch {
        require((1...lineCount).contains(error.line), "credentials error line \(error.line) exists")
    }
    return 0
}

/// A concept under `entry` (or matched by it), for probing.
private func witness(_ entry: ProfileEntry) -> [UInt8] {
    switch entry.kind {
    case .exact: Array(entry.text.utf8)
    case .below: Array(entry.text.utf8.dropLast(2)) + Array(".zz".utf8)
    case .all: Array("zz".utf8)
    }
}

/// Whether `allow` matches every concept `entry` matches.
private func covers(_ allow: ProfileEntry, _ entry: ProfileEntry) -> Bool {
    switch entry.kind {
    case .exact: allow.matches(witness(entry))
    case .below: allow.kind != .exact && allow.matches(witness(entry))
    case .all: allow.kind == .all
    }
}

/// Whether some concept is matched by both entries.
private func intersects(_ a: ProfileEntry, _ b: ProfileEntry) -> Bool {
    [witness(a), witness(b)].contains { a.matches($0) && b.matches($0) }
}

private func checkAgainstReference(_ permissions: Permissions) {
    let subscribeAllow = permissions.subscribeAllow.entries, subscribeDeny = permissions.subscribeDeny.entries
    let publishAllow = permissions.publishAllow.entries, publishDeny = permissions.publishDeny.entries
    // Only entries whose witness is itself a valid concept (a prefix of 254 bytes has none).
    let probes = (subscribeAllow + subscribeDeny + publishAllow + publishDeny)
        .filter { witness($0).count <= Concept.maxBytes }
    for entry in probes + probes.map({ .exact(String(decoding: witness($0), as: UTF8.self)) }) {
        let expected = subscribeAllow.contains { covers($0, entry) } && !subscribeDeny.contains { intersects($0, entry) }
        require(permissions.maySubscribe(entry) == expected, "maySubscribe(\(entry.text)) is \(expected)")
    }
    for entry in probes {
        let concept = witness(entry)
        let expected = publishAllow.contains { $0.matches(concept) } && !publishDeny.contains { $0.matches(concept) }
        let actual = concept.withUnsafeBytes { permissions.mayPublish($0) }
        require(actual == expected, "mayPublish(\(String(decoding: concept, as: UTF8.self))) is \(expected)")
    }
}

@_cdecl("fuzz_access_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
