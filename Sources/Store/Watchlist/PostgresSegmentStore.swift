import Common
import Dispatch
import Postgres
import Search

/// The segments of one watchlist scope in PostgreSQL: every `replace` is its own transaction
/// (and bumps the scope's generation), so each committed batch survives a killed build.
public final class PostgresSegmentStore: SegmentStore {
    /// The repository holding the rows.
    public let repository: WatchlistRepository
    /// Watchlist + model.
    public let scope: WatchlistScope
    /// Called after every committed `replace` (progress reports; a test hook that pauses).
    public var afterCommit: ((IndexSegment) -> Void)?
    /// Seconds spent reading segments from PostgreSQL so far.
    public private(set) var readSeconds = 0.0
    /// Seconds spent writing (and committing) segments so far.
    public private(set) var writeSeconds = 0.0

    /// A store over a scope.
    public init(repository: WatchlistRepository, scope: WatchlistScope) {
        self.repository = repository
        self.scope = scope
    }

    /// All segments with their bytes, ascending.
    public func segments() throws -> [IndexSegment] {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { readSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try repository.segments(scope).map(IndexSegment.init(stored:))
    }

    /// Atomically replaces segments.
    public func replace(firstIDs: [Int64], with segments: [IndexSegment]) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try repository.replaceSegments(scope, firstIDs: firstIDs, with: segments.map(StoredSegment.init(segment:)))
        writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let afterCommit { segments.forEach(afterCommit) }
    }
}

/// The scope's embeddings as an index build reads them: each batch read waits for registrations
/// in flight, so ids never appear below a sealed range.
public final class PostgresEmbeddingSource: EmbeddingSource {
    /// The repository holding the rows.
    public let repository: WatchlistRepository
    /// Watchlist + model.
    public let scope: WatchlistScope

    /// A source over a scope.
    public init(repository: WatchlistRepository, scope: WatchlistScope) {
        self.repository = repository
        self.scope = scope
    }

    /// The next embeddings after `id`.
    public func embeddings(after id: Int64?, limit: Int) throws -> EmbeddingMatrix {
        try EmbeddingMatrix(rows: repository.embeddingsForBuild(scope, after: id, limit: limit),
                            dimension: scope.model.key.dimension)
    }

    /// The embeddings of a range.
    public func embeddings(in range: ClosedRange<Int64>) throws -> EmbeddingMatrix {
        try EmbeddingMatrix(rows: repository.embeddings(scope, in: range), dimension: scope.model.key.dimension)
    }
}

extension EmbeddingMatrix {
    /// A matrix over rows read from the database.
    public init(rows: EmbeddingRows, dimension: Int) throws {
        try self.init(dimension: dimension, ids: rows.ids, vectors: rows.vectors)
    }
}

extension IndexSegment {
    /// A segment read back from its row.
    public init(stored s: StoredSegment) throws {
        guard let metric = Metric(rawValue: s.metric) else {
            throw SearchError.segmentMismatch("segment \(s.firstID)...\(s.lastID) has unknown metric \(s.metric)")
        }
        self.init(firstID: s.firstID, lastID: s.lastID, count: s.count, factory: s.factory,
                  requestedFactory: s.requestedFactory, metric: metric, dimension: s.dimension,
                  excludedTombstones: s.excludedTombstones, bytes: s.bytes,
                  kind: SegmentKind(name: s.kind, version: s.kindVersion))
    }
}

extension StoredSegment {
    /// The row of a segment.
    init(segment s: IndexSegment) {
        self.init(firstID: s.firstID, lastID: s.lastID, count: s.count, factory: s.factory,
                  requestedFactory: s.requestedFactory, metric: s.metric.rawValue, dimension: s.dimension,
                  excludedTombstones: s.excludedTombstones, bytes: s.bytes, kind: s.kind.name, kindVersion: s.kind.version)
    }
}

extension WatchlistScope {
    /// The metric of the scope's model.
    public var metric: Metric {
        get throws {
            guard let metric = Metric(rawValue: model.key.metric) else {
                throw SearchError.segmentMismatch("model \(model.key.name) has unknown metric \(model.key.metric)")
            }
            return metric
        }
    }
}
