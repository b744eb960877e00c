/// "Did you mean" for unknown keys and needs.
enum Spelling {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a
    /// likely typo: at most 2 edits, and fewer than half the word's length. Ties go to the
    /// earlier candidate.
    static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        let word = Array(word.lowercased().utf8)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, Array(candidate.lowercased().utf8))
            if distance <= 2, distance * 2 < max(word.count, 2), distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// The Levenshtein distance between two byte strings (one row of the table at a time).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
