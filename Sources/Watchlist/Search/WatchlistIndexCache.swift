import Foundation
import Postgres
import Search
import Store

/// A scope's gallery, tombstones and loaded segments as one process holds them, with the scope
/// state they were read at.
final class CachedScope: @unchecked Sendable {
    var state: ScopeState = .empty
    var gallery: EmbeddingMatrix
    var tombstones: Set<Int64> = []
    var segments: [IndexSegment] = []
    var exact: ExactSearcher?
    var ann: SegmentedANNIndex?

    init(dimension: Int) { gallery = EmbeddingMatrix(dimension: dimension) }
}

/// Per-process cache of what searches need: the gallery for exact search and the deserialised
/// FAISS segments for ANN. Each use reads the scope's counters (one primary-key row) and reloads
/// only what changed: new embeddings are appended, tombstones and segments reread when their
/// counters move, so a removal or a build is visible to the very next search.
public final class WatchlistIndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: CachedScope] = [:]
    private var entryLocks: [String: NSLock] = [:]

    /// The process-wide cache.
    public static let shared = WatchlistIndexCache()

    /// An empty cache (tests and benchmarks use their own).
    public init() {}

    /// Forgets everything.
    public func removeAll() {
        lock.lock()
        entries.removeAll()
        entryLocks.removeAll()
        lock.unlock()
    }

    /// Brings the scope's entry up to date and runs `body` on it under the entry's lock.
    func withCurrent<T>(_ repository: WatchlistRepository, _ scope: WatchlistScope, database: String,
                        _ body: (CachedScope) throws -> T) throws -> T {
        let key = "\(database)|\(scope.watchlist.id)|\(scope.model.id)"
        lock.lock()
        let entryLock = entryLocks[key] ?? NSLock()
        entryLocks[key] = entryLock
        let entry = entries[key] ?? CachedScope(dimension: scope.model.key.dimension)
        entries[key] = entry
        lock.unlock()
        entryLock.lock()
        defer { entryLock.unlock() }
        try refresh(entry, repository, scope)
        return try body(entry)
    }

    /// One snapshot (REPEATABLE READ) so the counters and the rows agree.
    private func refresh(_ entry: CachedScope, _ repository: WatchlistRepository, _ scope: WatchlistScope) throws {
        let connection = repository.connection
        try connection.transaction {
            try connection.executeScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let state = try repository.state(of: scope)
            guard state != entry.state else { return }
            if state.embeddingCount != entry.state.embeddingCount || state.maxEmbeddingID != entry.state.maxEmbeddingID {
                let fresh = try repository.allEmbeddings(scope, after: entry.gallery.ids.last)
                if entry.gallery.count + fresh.ids.count == state.embeddingCount {
                    try entry.gallery.append(EmbeddingMatrix(rows: fresh, dimension: scope.model.key.dimension))
                } else {
                    // An id committed below the cached ones (or rows vanished): read everything again.
                    entry.gallery = try EmbeddingMatrix(rows: repository.allEmbeddings(scope),
                                                        dimension: scope.model.key.dimension)
                }
                entry.exact = nil
                entry.ann = nil
            }
            if state.tombstoneCount != entry.state.tombstoneCount {
                entry.tombstones = try repository.tombstones(scope)
            }
            if state.generation != entry.state.generation {
                entry.segments = try repository.segments(scope).map(IndexSegment.init(stored:))
                entry.ann = nil
            }
            entry.state = state
        }
    }
}
