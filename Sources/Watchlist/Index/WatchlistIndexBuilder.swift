import Common
import Foundation
import Postgres
import Search
import Store

/// What `facejob index build` asks for.
public struct IndexBuildRequest: Sendable, Equatable {
    /// FAISS factory; nil keeps the factory of the existing segments (`HNSW32,Flat` when none).
    public var factory: String?
    /// Embeddings per committed batch.
    public var batchSize: Int
    /// Most vectors per segment.
    public var segmentCapacity: Int
    /// Tombstoned fraction above which a segment is rebuilt without them.
    public var compactionThreshold: Double
    /// Drop every segment first (required to change the factory).
    public var rebuild: Bool
    /// Fail with `IndexBuildError.locked` instead of waiting for another build.
    public var noWait: Bool
    /// FAISS threads (nil: OpenMP's default).
    public var threads: Int?

    /// A request with facejob's defaults.
    public init(factory: String? = nil, batchSize: Int = 16_384, segmentCapacity: Int = 262_144,
                compactionThreshold: Double = 0.2, rebuild: Bool = false, noWait: Bool = false, threads: Int? = nil) {
        self.factory = factory
        self.batchSize = batchSize
        self.segmentCapacity = segmentCapacity
        self.compactionThreshold = compactionThreshold
        self.rebuild = rebuild
        self.noWait = noWait
        self.threads = threads
    }

    /// The default factory for 128-d face embeddings.
    public static let defaultFactory = "HNSW32,Flat"
}

/// What a build did.
public struct IndexBuildOutcome: Sendable, Equatable {
    /// The factory used.
    public var factory: String
    /// Batches committed now.
    public var batches: Int
    /// Embeddings added now.
    public var added: Int
    /// Segments afterwards.
    public var segments: Int
    /// Segments rebuilt by compaction, and vectors they dropped.
    public var compaction: CompactionReport
    /// Seconds spent waiting for another build's lock.
    public var waitedSeconds: Double
    /// Seconds reading segment bytes from PostgreSQL.
    public var segmentReadSeconds: Double
    /// Seconds writing and committing segment bytes.
    public var segmentWriteSeconds: Double
    /// Seconds of the whole build after the lock was taken.
    public var totalSeconds: Double
}

/// Why a build could not run.
public enum IndexBuildError: UserFacingError, Equatable {
    /// Another build of the same scope runs and `noWait` was asked.
    case locked(watchlist: String)
    /// Segments exist with another factory.
    case factoryChange(existing: String, requested: String)

    /// The user-facing text.
    public var description: String {
        switch self {
        case .locked(let w): return "another index build of watchlist \"\(w)\" is running; try later"
        case .factoryChange(let existing, let requested):
            return "the index was built with \(existing); pass --rebuild to rebuild it with \(requested)"
        }
    }

    /// Locked → 75 (cron retries later); factory change → usage.
    public var exitStatus: ExitStatus {
        switch self {
        case .locked: return .locked
        case .factoryChange: return .usage
        }
    }
}

/// Brings a scope's persisted ANN index up to date: holds the scope's build lock (concurrent
/// builds take turns), adds in committed batches only what is newer than the last sealed
/// segment (a killed build resumes there), then compacts segments whose tombstones exceed the
/// threshold.
public struct WatchlistIndexBuilder {
    /// The repository (its connection holds the build lock).
    public let repository: WatchlistRepository
    /// Watchlist + model.
    public let scope: WatchlistScope

    /// A builder for a scope.
    public init(repository: WatchlistRepository, scope: WatchlistScope) {
        self.repository = repository
        self.scope = scope
    }

    /// Environment variable naming milliseconds to pause after each committed batch: lets tests
    /// kill a real build between commits.
    public static let pauseVariable = "FACEJOB_INDEX_BATCH_PAUSE_MS"

    /// Runs the build; `progress` is called after each committed batch with the segment it sealed.
    public func build(_ request: IndexBuildRequest, progress: ((IndexSegment) -> Void)? = nil) throws -> IndexBuildOutcome {
        let connection = repository.connection
        let started = Date()
        if request.noWait {
            guard try connection.tryAdvisoryLock(scope.buildLock) else {
                throw IndexBuildError.locked(watchlist: scope.watchlist.name)
            }
        } else {
            try connection.advisoryLock(scope.buildLock)
        }
        defer { _ = try? connection.advisoryUnlock(scope.buildLock) }
        let waited = Date().timeIntervalSince(started)

        let existing = try repository.segments(scope, withBytes: false)
        let existingFactory = existing.last?.requestedFactory
        let factory = request.factory ?? existingFactory ?? IndexBuildRequest.defaultFactory
        if let existingFactory, existingFactory != factory, !request.rebuild {
            throw IndexBuildError.factoryChange(existing: existingFactory, requested: factory)
        }
        if request.rebuild { _ = try repository.dropSegments(scope, actor: AuditActor.current) }

        let options = SegmentBuildOptions(factory: factory, metric: try scope.metric, dimension: scope.model.key.dimension,
                                          batchSize: request.batchSize, segmentCapacity: request.segmentCapacity,
                                          threads: request.threads)
        let builder = try SegmentBuilder(options: options)
        let compactor = try SegmentCompactor(options: options, threshold: request.compactionThreshold)
        let store = PostgresSegmentStore(repository: repository, scope: scope)
        let source = PostgresEmbeddingSource(repository: repository, scope: scope)
        let pause = ProcessInfo.processInfo.environment[Self.pauseVariable].flatMap(Double.init) ?? 0
        store.afterCommit = { segment in
            progress?(segment)
            if pause > 0 { Thread.sleep(forTimeInterval: pause / 1000) }
        }
        try repository.beginBuild(scope, factory: factory)
        do {
            let report = try builder.build(from: source, into: store)
            store.afterCommit = nil
            // Segment bytes are read only when a segment is over the threshold.
            let tombstones = try repository.state(of: scope).tombstoneCount > 0 ? try repository.tombstones(scope) : []
            let summaries = try repository.segments(scope, withBytes: false).map(IndexSegment.init(stored:))
            let compaction = compactor.segmentsToRebuild(summaries, tombstones: tombstones).isEmpty
                ? CompactionReport(rebuilt: [], removedVectors: 0)
                : try compactor.compact(source: source, store: store, tombstones: tombstones)
            try repository.finishBuild(scope, status: "done", batches: report.batches, added: report.added)
            if report.batches > 0 || !compaction.rebuilt.isEmpty {
                try repository.audit(actor: AuditActor.current, action: "index.build",
                                     subject: "watchlist/\(scope.watchlist.name)",
                                     details: ["model": scope.model.key.name, "factory": factory,
                                               "batches": report.batches, "added": report.added,
                                               "compacted_segments": compaction.rebuilt.count])
            }
            return IndexBuildOutcome(factory: factory, batches: report.batches, added: report.added,
                                     segments: report.segments, compaction: compaction, waitedSeconds: waited,
                                     segmentReadSeconds: store.readSeconds, segmentWriteSeconds: store.writeSeconds,
                                     totalSeconds: Date().timeIntervalSince(started) - waited)
        } catch {
            try? repository.finishBuild(scope, status: "failed", batches: 0, added: 0)
            throw error
        }
    }
}
