import Common
import Foundation
import Postgres
import Search
import Store

/// Search of probe faces against a watchlist: the one library call behind `facejob search`, the
/// job runner and the REST API. Built once per process (`shared`); each call names the repository
/// (the connection) it reads through. Takes many queries at once (one sgemm or one FAISS call per
/// segment for the whole batch), keeps results per query, applies the per-request threshold,
/// re-ranks ANN candidates with exact distances, and names every match (identity, external id,
/// face, enrolled image).
public final class WatchlistSearcher: @unchecked Sendable {
    /// The cache of galleries and segments this searcher reads.
    public let cache: WatchlistIndexCache

    /// The process's searcher, over the process-wide cache.
    public static let shared = WatchlistSearcher()

    /// A searcher over `cache` (tests and benchmarks pass their own).
    public init(cache: WatchlistIndexCache = .shared) {
        self.cache = cache
    }

    /// Searches every query; the result at index i answers `queries[i]`.
    public func search(_ queries: [QueryFace], scope: WatchlistScope, request: WatchlistSearchRequest = WatchlistSearchRequest(),
                       in repository: WatchlistRepository) throws -> [QueryResult] {
        guard request.k > 0 else { throw SearchError.invalidCount(name: "k", value: request.k) }
        let metric = try scope.metric
        let threshold = request.threshold ?? metric.defaultThreshold
        guard threshold.isFinite, threshold >= 0 else {
            throw WatchlistError.invalid("threshold must be a non-negative number, got \(threshold)")
        }
        let d = scope.model.key.dimension
        var flat: [Float] = []
        flat.reserveCapacity(queries.count * d)
        for q in queries {
            guard q.embedding.count == d else { throw WatchlistError.embeddingDimension(expected: d, got: q.embedding.count) }
            guard q.embedding.allSatisfy(\.isFinite) else { throw WatchlistError.invalid("a query embedding holds a non-finite value") }
            flat += q.embedding
        }
        guard !queries.isEmpty else { return [] }
        let (hits, vectors) = try cache.withCurrent(repository, scope, database: repository.cacheNamespace()) { entry -> ([[SearchHit]], [Int64: [Float]]) in
            let hits: [[SearchHit]]
            switch request.method {
            case .exact:
                let exact = entry.exact ?? ExactSearcher(gallery: entry.gallery, metric: metric)
                entry.exact = exact
                hits = try exact.search(flat, k: request.k, excluding: entry.tombstones)
            case .ann:
                let ann = try entry.ann ?? SegmentedANNIndex(segments: entry.segments, gallery: entry.gallery, metric: metric)
                entry.ann = ann
                hits = try ann.search(flat, k: request.k, excluding: entry.tombstones, options: request.ann)
            }
            var vectors: [Int64: [Float]] = [:]
            for hit in hits.joined() where hit.distance <= threshold && vectors[hit.id] == nil {
                if let row = entry.gallery.row(of: hit.id) { vectors[hit.id] = Array(entry.gallery.vector(atRow: row)) }
            }
            return (hits, vectors)
        }
        let details = try repository.matchDetails(Array(vectors.keys), scope: scope)
        return queries.indices.map { i in
            let matches = hits[i].filter { $0.distance <= threshold }.compactMap { hit -> WatchlistMatch? in
                guard let who = details[hit.id], let vector = vectors[hit.id] else { return nil }
                return WatchlistMatch(identityID: who.identityID, identityName: who.identityName, externalID: who.externalID,
                                      faceID: who.faceID, embeddingID: hit.id, distance: hit.distance,
                                      similarity: Self.cosineSimilarity(queries[i].embedding, vector), rank: hit.rank,
                                      threshold: threshold, queryBox: queries[i].box, imageSHA256: who.imageSHA256,
                                      sourcePath: who.sourcePath)
            }
            return QueryResult(queryIndex: i, queryBox: queries[i].box, matches: matches)
        }
    }

    /// Loads what `method` searches (the gallery, and for ANN the segments) into the cache before
    /// the first query needs it, so a job pays for a large watchlist once, at its start, and not
    /// inside its first input's timing.
    public func preload(scope: WatchlistScope, method: SearchMethod, in repository: WatchlistRepository) throws {
        let metric = try scope.metric
        try cache.withCurrent(repository, scope, database: repository.cacheNamespace()) { entry in
            switch method {
            case .exact:
                entry.exact = entry.exact ?? ExactSearcher(gallery: entry.gallery, metric: metric)
            case .ann:
                entry.ann = try entry.ann ?? SegmentedANNIndex(segments: entry.segments, gallery: entry.gallery, metric: metric)
            }
        }
    }

    /// How the scope's ANN index stands: segments loaded and embeddings no segment covers yet
    /// (those are searched exactly).
    public func annCoverage(scope: WatchlistScope, in repository: WatchlistRepository) throws -> (segments: Int, uncovered: Int) {
        let metric = try scope.metric
        return try cache.withCurrent(repository, scope, database: repository.cacheNamespace()) { entry in
            let ann = try entry.ann ?? SegmentedANNIndex(segments: entry.segments, gallery: entry.gallery, metric: metric)
            entry.ann = ann
            return (ann.segmentCount, ann.uncoveredCount)
        }
    }

    static func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Float {
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in 0..<min(a.count, b.count) {
            dot += Double(a[i]) * Double(b[i])
            na += Double(a[i]) * Double(a[i])
            nb += Double(b[i]) * Double(b[i])
        }
        let denominator = (na * nb).squareRoot()
        return denominator > 0 ? Float(dot / denominator) : 0
    }
}
