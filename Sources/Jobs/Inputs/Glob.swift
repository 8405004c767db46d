import Foundation

/// A compiled path glob: `*` and `?` within one path segment, `[abc]`, `[a-z]`, `[!x]` classes,
/// `**` as a whole segment for any number of folders, `\` to escape. Like a shell, wildcards do not
/// match a leading `.`, and `**` does not enter hidden or symlinked folders (no cycles).
public struct Glob: Sendable, Equatable {
    /// Why a pattern cannot be compiled.
    public struct PatternError: Error, Equatable, Sendable {
        /// What is wrong with the pattern.
        public var message: String
    }

    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case any
        case star
        case set(ranges: [ClosedRange<UInt32>], negated: Bool)
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case pattern([Token], matchesDotFiles: Bool)
        case recursive
    }

    /// The pattern as written.
    public let pattern: String
    /// Whether the pattern starts at `/`.
    public let isAbsolute: Bool
    let segments: [Segment]

    /// Compiles `pattern`.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        guard !pattern.isEmpty else { throw PatternError(message: "the pattern is empty") }
        guard !pattern.hasSuffix("/") else { throw PatternError(message: "the pattern ends with `/`; name files, e.g. `dir/*.mp4`") }
        isAbsolute = pattern.hasPrefix("/")
        var segs: [Segment] = []
        for raw in pattern.split(separator: "/", omittingEmptySubsequences: true) {
            segs.append(try Self.compile(String(raw)))
        }
        guard !segs.isEmpty else { throw PatternError(message: "the pattern names no file") }
        segments = segs
    }

    /// Whether the pattern has any wildcard at all.
    public var hasWildcards: Bool {
        segments.contains { if case .literal = $0 { return false } else { return true } }
    }

    private static func compile(_ text: String) throws -> Segment {
        if text == "**" { return .recursive }
        if text.contains("**") {
            throw PatternError(message: "`**` must be a whole path segment, as in `footage/**/*.mp4`")
        }
        var tokens: [Token] = []
        var chars = Array(text.unicodeScalars)[...]
        var hasWildcard = false
        while let c = chars.popFirst() {
            switch c {
            case "\\":
                guard let next = chars.popFirst() else { throw PatternError(message: "the pattern ends with a lone `\\`") }
                tokens.append(.literal(next))
            case "*": tokens.append(.star); hasWildcard = true
            case "?": tokens.append(.any); hasWildcard = true
            case "[":
                hasWildcard = true
                var negated = false
                if let f = chars.first, f == "!" || f == "^" { negated = true; chars.removeFirst() }
                var ranges: [ClosedRange<UInt32>] = []
                var first = true
                var closed = false
                while let d = chars.popFirst() {
                    if d == "]" && !first { closed = true; break }
                    first = false
                    var low = d
                    if low == "\\" {
                        guard let e = chars.popFirst() else { break }
                        low = e
                    }
                    if chars.first == "-", chars.count >= 2, chars[chars.index(after: chars.startIndex)] != "]" {
                        chars.removeFirst()
                        guard let high = chars.popFirst() else { break }
                        guard low.value <= high.value else {
                            throw PatternError(message: "range `\(low)-\(high)` in `[...]` is reversed")
                        }
                        ranges.append(low.value...high.value)
                    } else {
                        ranges.append(low.value...low.value)
                    }
                }
                guard closed else { throw PatternError(message: "`[` is not closed by `]`") }
                tokens.append(.set(ranges: ranges, negated: negated))
            default:
                tokens.append(.literal(c))
            }
        }
        if !hasWildcard {
            var s = ""
            for t in tokens { if case .literal(let c) = t { s.unicodeScalars.append(c) } }
            return .literal(s)
        }
        let dotOK: Bool
        if case .literal(".")? = tokens.first { dotOK = true } else { dotOK = false }
        return .pattern(tokens, matchesDotFiles: dotOK)
    }

    /// Whether one file or folder name matches a compiled segment.
    static func matches(_ tokens: [Token], dotFiles: Bool, name: String) -> Bool {
        let s = Array(name.unicodeScalars)
        if !dotFiles, s.first == "." { return false }
        var memo = [Int: Bool]()
        func go(_ t: Int, _ i: Int) -> Bool {
            let key = t * (s.count + 1) + i
            if let m = memo[key] { return m }
            let result: Bool
            if t == tokens.count {
                result = i == s.count
            } else {
                switch tokens[t] {
                case .star: result = go(t + 1, i) || (i < s.count && go(t, i + 1))
                case .any: result = i < s.count && go(t + 1, i + 1)
                case .literal(let c): result = i < s.count && s[i] == c && go(t + 1, i + 1)
                case .set(let ranges, let negated):
                    result = i < s.count && (ranges.contains { $0.contains(s[i].value) } != negated) && go(t + 1, i + 1)
                }
            }
            memo[key] = result
            return result
        }
        return go(0, 0)
    }

    /// Every regular file (symlinks to files count) matching the pattern, as absolute paths sorted
    /// by their UTF-8 bytes so the order never depends on the file system or locale. Relative
    /// patterns are resolved against `base`.
    public func expand(base: URL) -> [String] {
        var found = Set<String>()
        let root = isAbsolute ? "/" : base.standardizedFileURL.path
        walk(root, 0, &found)
        // `.` and `..` segments walk like any literal folder; report clean paths so a file named
        // both through a glob and through a path entry is recognised as the same file.
        found = Set(found.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func walk(_ dir: String, _ index: Int, _ found: inout Set<String>) {
        let isLast = index == segments.count - 1
        func join(_ name: String) -> String { dir.hasSuffix("/") ? dir + name : dir + "/" + name }
        switch segments[index] {
        case .literal(let name):
            let path = join(name)
            if isLast {
                if FileKind.of(path) == .file { found.insert(path) }
            } else if FileKind.of(path) == .directory {
                walk(path, index + 1, &found)
            }
        case .pattern(let tokens, let dotFiles):
            for name in FileKind.list(dir) where Self.matches(tokens, dotFiles: dotFiles, name: name) {
                let path = join(name)
                let kind = FileKind.of(path)
                if isLast {
                    if kind == .file { found.insert(path) }
                } else if kind == .directory {
                    walk(path, index + 1, &found)
                }
            }
        case .recursive:
            if isLast {
                // A trailing `**` means every file below.
                for name in FileKind.list(dir) where !name.hasPrefix(".") {
                    let path = join(name)
                    switch FileKind.of(path, followLinks: false) {
                    case .file: found.insert(path)
                    case .symlink: if FileKind.of(path) == .file { found.insert(path) }
                    case .directory: walk(path, index, &found)
                    default: break
                    }
                }
                return
            }
            walk(dir, index + 1, &found)
            for name in FileKind.list(dir) where !name.hasPrefix(".") {
                let path = join(name)
                if FileKind.of(path, followLinks: false) == .directory { walk(path, index, &found) }
            }
        }
    }
}

/// What a path is, through `stat`/`lstat`.
enum FileKind: Equatable {
    case file, directory, symlink, other, missing

    static func of(_ path: String, followLinks: Bool = true) -> FileKind {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    static func list(_ dir: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    }
}
