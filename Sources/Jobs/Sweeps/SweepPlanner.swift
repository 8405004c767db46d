import Common
/// What an earlier sweep run processed: one file's path, size, modification time and hash.
public struct FootageRecord: Sendable, Equatable, Codable {
    /// Absolute path.
    public var path: String
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Modification time in nanoseconds since the epoch.
    public var modifiedNanoseconds: Int64
    /// SHA-256 of the content.
    public var sha256: String

    /// Creates a record.
    public init(path: String, sizeBytes: Int64, modifiedNanoseconds: Int64, sha256: String) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.modifiedNanoseconds = modifiedNanoseconds
        self.sha256 = sha256
    }

    /// The record of a fingerprinted input.
    public init(_ file: InputFile) {
        self.init(path: file.input.path, sizeBytes: file.sizeBytes, modifiedNanoseconds: file.modifiedNanoseconds, sha256: file.sha256)
    }
}

/// How a candidate file relates to what earlier runs processed.
public enum FootageChange: Sendable, Equatable {
    /// A path and content never seen: search it.
    case new
    /// A known path whose content changed: search it again.
    case changed(previousSHA256: String)
    /// A known path with new size or time but the same content (copied back, touched): skip it.
    case touched
    /// Content already searched under another path (renamed or copied): skip it.
    case moved(from: String)
    /// Same path, size and time as before: not even hashed.
    case unchanged
}

/// The outcome of comparing a sweep's candidates with the footage ledger.
public struct SweepPlan: Sendable, Equatable {
    /// Files to search in this run, in path order.
    public var toRun: [InputFile]
    /// Every candidate with its classification, in path order.
    public var changes: [(path: String, change: FootageChange)]
    /// Candidates that could not be read or hashed, with the reason.
    public var unreadable: [(path: String, reason: String)]

    public static func == (a: SweepPlan, b: SweepPlan) -> Bool {
        a.toRun == b.toRun && a.changes.map(\.path) == b.changes.map(\.path) && a.changes.map(\.change) == b.changes.map(\.change)
            && a.unreadable.map(\.path) == b.unreadable.map(\.path) && a.unreadable.map(\.reason) == b.unreadable.map(\.reason)
    }
}

/// Finds new or changed footage cheaply: path + size + mtime decide which files must be hashed
/// (hashing a night of video is the expensive part), and the hash confirms whether the content
/// really is new. Pure apart from reading the files it is asked about.
public enum SweepPlanner {
    /// Compares `candidates` with `ledger` (what earlier runs processed, any order).
    public static func plan(candidates: [ResolvedInput], ledger: [FootageRecord]) -> SweepPlan {
        var byPath: [String: FootageRecord] = [:]
        var byHash: [String: String] = [:]
        for r in ledger.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            byPath[r.path] = r
            if byHash[r.sha256] == nil { byHash[r.sha256] = r.path }
        }
        var plan = SweepPlan(toRun: [], changes: [], unreadable: [])
        for c in candidates.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            do {
                let st = try FileStat(path: c.path)
                if let known = byPath[c.path], known.sizeBytes == st.size, known.modifiedNanoseconds == st.modifiedNanoseconds {
                    plan.changes.append((c.path, .unchanged))
                    continue
                }
                let file = try InputFile.fingerprint(c)
                let change: FootageChange
                if let known = byPath[c.path] {
                    change = known.sha256 == file.sha256 ? .touched : .changed(previousSHA256: known.sha256)
                } else if let other = byHash[file.sha256] {
                    change = .moved(from: other)
                } else {
                    change = .new
                }
                plan.changes.append((c.path, change))
                switch change {
                case .new, .changed: plan.toRun.append(file)
                default: break
                }
            } catch {
                plan.unreadable.append((c.path, "\(error)"))
            }
        }
        return plan
    }
}
