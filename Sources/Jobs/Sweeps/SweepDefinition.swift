import Common
import Foundation

/// A scheduled sweep (`facejob sweep jobs/NAME.json`): folders to watch, which files in them are
/// footage, the watchlist, and the job settings every run uses (the same sections as a manifest).
public struct SweepDefinition: Sendable, Equatable, Codable {
    /// A watched folder and the camera id its files report.
    public struct Root: Sendable, Equatable, Codable {
        /// Folder (relative paths are against the definition's folder).
        public var path: String
        /// Camera id for every file found under it.
        public var camera: String?

        /// Creates a root.
        public init(path: String, camera: String? = nil) {
            self.path = path
            self.camera = camera
        }
    }

    /// Sweep name; also the name of its lock and the prefix of its jobs.
    public var name: String
    /// PostgreSQL URL; nil means the embedded database.
    public var database: String?
    /// Watchlist to search against.
    public var watchlist: String
    /// Watched folders.
    public var roots: [Root]
    /// Globs relative to each root, e.g. `**/*.mp4`.
    public var patterns: [String]
    /// Files modified less than this many seconds ago are left for the next run (still being written).
    public var settleSeconds: Int
    /// Which frames are searched.
    public var sampling: Sampling
    /// Face detector settings.
    public var detector: DetectorSettings
    /// Embedding model name.
    public var model: String
    /// Watchlist search settings.
    public var search: SearchSettings
    /// Track association settings.
    public var tracking: TrackingSettings
    /// Report output settings; each run writes into a subfolder named after its job.
    public var report: ReportSettings
    /// Inputs processed in parallel; nil means one per CPU core.
    public var workers: Int?
    /// When set, each run first compares the watchlist with the state the sweep last searched
    /// with; if it changed (someone enrolled or removed), the sweep's jobs that finished in the
    /// last `days` days are rescanned against it, without decoding.
    public var rescan: RescanSettings? = nil
    /// When set, each run's job groups its unmatched tracks into unknown persons (`unknowns`).
    public var unknowns: UnknownsSettings? = nil

    /// The `rescan` section.
    public struct RescanSettings: Sendable, Equatable, Codable {
        /// How far back the sweep's jobs are rescanned, in days of job completion.
        public var days: Int

        /// Settings.
        public init(days: Int) { self.days = days }
    }

    /// Default for `settle_seconds`.
    public static let defaultSettleSeconds = 300

    enum CodingKeys: String, CodingKey {
        case name, database, watchlist, roots, patterns, settleSeconds = "settle_seconds", sampling, detector, model,
             search, tracking, report, workers, rescan, unknowns
    }

    /// The footage under the roots that matches the patterns and has settled, sorted by path;
    /// the sweep runner then compares size, mtime and hash with what earlier runs processed.
    public func candidates(base: URL, now: Date = Date()) throws -> [ResolvedInput] {
        let globs = try patterns.map { try Glob($0) }
        let cutoff = Int64((now.timeIntervalSince1970 - Double(settleSeconds)) * 1e9)
        var seen = Set<String>()
        var out: [ResolvedInput] = []
        for (n, root) in roots.enumerated() {
            let dir = URL(fileURLWithPath: InputResolver.absolutePath(root.path, base: base))
            for glob in globs {
                for path in glob.expand(base: dir) where !seen.contains(path) {
                    guard let st = try? FileStat(path: path), st.modifiedNanoseconds <= cutoff else { continue }
                    seen.insert(path)
                    out.append(ResolvedInput(path: path, specIndex: n, camera: root.camera, recordedAt: nil))
                }
            }
        }
        return out.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}
