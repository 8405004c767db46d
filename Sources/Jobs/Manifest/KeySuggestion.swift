/// "Did you mean …?" for misspelt keys and enum values.
enum KeySuggestion {
    /// The candidate closest to `word`: same letters ignoring case, `_` and `-` (everyN → every_n),
    /// else the nearest by edit distance when it is close enough to be a plausible typo.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let folded = fold(word)
        if let same = candidates.first(where: { fold($0) == folded }) { return same }
        if folded.count >= 3, let longer = candidates.first(where: { fold($0).hasPrefix(folded) }) { return longer }
        var best: (String, Int)?
        for c in candidates {
            let d = distance(Array(folded), Array(fold(c)))
            guard d <= max(1, min(folded.count, c.count) / 3) else { continue }
            if let current = best, current.1 <= d { continue }
            best = (c, d)
        }
        return best?.0
    }

    private static func fold(_ s: String) -> String {
        String(s.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
