/// Where a segmented index keeps its segments. A PostgreSQL repository implements this with one
/// transaction per `replace`, so every committed batch is durable on its own and a killed build
/// leaves the segments of the last committed batch behind.
public protocol SegmentStore: AnyObject {
    /// All segments, ascending by `firstID`.
    func segments() throws -> [IndexSegment]
    /// Atomically drops the segments starting at `firstIDs` and stores `segments` in their place.
    func replace(firstIDs: [Int64], with segments: [IndexSegment]) throws
}

/// The embeddings an index is built from, in id order. A repository must only hand out ids that
/// no later commit can undercut (register and build serialise on the watchlist's lock), or a
/// late-committed lower id would fall inside an already sealed range.
public protocol EmbeddingSource {
    /// Up to `limit` embeddings with ids greater than `id` (all ids when nil), ascending.
    func embeddings(after id: Int64?, limit: Int) throws -> EmbeddingMatrix
    /// All embeddings whose ids fall in `range`, ascending (used to rebuild a segment).
    func embeddings(in range: ClosedRange<Int64>) throws -> EmbeddingMatrix
}

extension EmbeddingMatrix: EmbeddingSource {
    /// Up to `limit` embeddings after `id`.
    public func embeddings(after id: Int64?, limit: Int) throws -> EmbeddingMatrix {
        prefix(after: id, limit: limit)
    }

    /// The embeddings in `range`.
    public func embeddings(in range: ClosedRange<Int64>) throws -> EmbeddingMatrix {
        subset(in: range)
    }
}

/// Segments held in memory: the store of tests, benchmarks and one-off searches.
public final class InMemorySegmentStore: SegmentStore, @unchecked Sendable {
    private var stored: [IndexSegment]
    private let lock = ReadWriteLock()

    /// A store holding the given segments.
    public init(_ segments: [IndexSegment] = []) {
        stored = segments.sorted { $0.firstID < $1.firstID }
    }

    /// All segments, ascending by `firstID`.
    public func segments() throws -> [IndexSegment] {
        lock.withReadLock { stored }
    }

    /// Replaces segments in one step.
    public func replace(firstIDs: [Int64], with segments: [IndexSegment]) throws {
        lock.withWriteLock {
            let dropped = Set(firstIDs)
            stored = (stored.filter { !dropped.contains($0.firstID) } + segments).sorted { $0.firstID < $1.firstID }
        }
    }
}
