import Store
import Watchlist

/// The pipeline's search stage: every face of a batch of frames searched against the job's
/// watchlist in one call (one sgemm, or one FAISS call per segment).
struct SearchStage {
    /// The repository the searcher reads through (the worker's connection).
    let watchlists: WatchlistRepository
    /// Watchlist + embedding model.
    let scope: WatchlistScope
    /// Method, k and threshold from the manifest.
    let request: WatchlistSearchRequest

    /// The answers for each face of each frame: `result[n][d]` answers face `d` of frame `n`.
    func search(_ facesOf: [[FrameFace]]) throws -> [[QueryResult]] {
        let queries = facesOf.flatMap { $0.map { QueryFace(embedding: $0.embedding) } }
        let answers = queries.isEmpty ? [] : try WatchlistSearcher.shared.search(queries, scope: scope, request: request,
                                                                                  in: watchlists)
        var out: [[QueryResult]] = []
        var q = 0
        for faces in facesOf {
            out.append(Array(answers[q..<(q + faces.count)]))
            q += faces.count
        }
        return out
    }
}
