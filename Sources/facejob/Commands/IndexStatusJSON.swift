import Foundation
import Search
import Store

/// One watchlist model's embeddings and ANN index as `facejob index status --json` prints it,
/// and each entry of `models` in `facejob watchlist show --json` (docs/watchlist.md).
struct IndexStatusJSON: Encodable {
    /// The embedding model: its name, weights, vector shape.
    struct Model: Encodable {
        var key: EmbeddingModelKey

        enum CodingKeys: String, CodingKey { case name, sha256, dimension, metric }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key.name, forKey: .name)
            try c.encode(key.weightsSHA256, forKey: .sha256)
            try c.encode(key.dimension, forKey: .dimension)
            try c.encode(key.metric, forKey: .metric)
        }
    }

    /// What the last build did.
    struct Build: Encodable {
        var state: IndexBuildState

        enum CodingKeys: String, CodingKey {
            case status, factory, batches, added
            case startedAt = "started_at", finishedAt = "finished_at"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state.status, forKey: .status)
            try c.encode(state.factory, forKey: .factory)
            try c.encode(JSONOutput.time(state.startedAt), forKey: .startedAt)
            try c.encode(JSONOutput.time(state.finishedAt), forKey: .finishedAt)  // null while it runs
            try c.encode(state.batches, forKey: .batches)
            try c.encode(state.added, forKey: .added)
        }
    }

    /// One sealed segment (without its bytes).
    struct Segment: Encodable {
        var segment: StoredSegment

        enum CodingKeys: String, CodingKey {
            case factory, metric, dimension, bytes, vectors, kind
            case firstID = "first_id", lastID = "last_id", requestedFactory = "requested_factory", kindVersion = "kind_version"
            case compactedTombstones = "compacted_tombstones"
        }

        func encode(to encoder: Encoder) throws {
            let s = segment
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(s.firstID, forKey: .firstID)
            try c.encode(s.lastID, forKey: .lastID)
            try c.encode(s.count, forKey: .vectors)
            try c.encode(s.factory, forKey: .factory)
            try c.encode(s.requestedFactory, forKey: .requestedFactory)
            try c.encode(s.metric, forKey: .metric)
            try c.encode(s.dimension, forKey: .dimension)
            try c.encode(s.byteCount, forKey: .bytes)
            try c.encode(s.excludedTombstones, forKey: .compactedTombstones)
            try c.encode(s.kind, forKey: .kind)
            try c.encode(s.kindVersion, forKey: .kindVersion)
        }
    }

    var watchlist: String
    var model: Model
    var state: ScopeState
    /// nil when the scope was never built.
    var lastBuild: Build?
    var segments: [Segment]

    /// The largest embedding id the segments cover (0 without segments).
    var indexedThrough: Int64 { segments.map(\.segment.lastID).max() ?? 0 }

    /// The scope's state, last build and segments, read from the repository.
    init(_ scope: WatchlistScope, repository: WatchlistRepository) throws {
        watchlist = scope.watchlist.name
        model = Model(key: scope.model.key)
        state = try repository.state(of: scope)
        let build = try repository.buildState(scope)
        lastBuild = build.status == nil ? nil : Build(state: build)
        segments = try repository.segments(scope, withBytes: false).map(Segment.init)
    }

    enum CodingKeys: String, CodingKey {
        case watchlist, model, embeddings, tombstones, generation, segments
        case maxEmbeddingID = "max_embedding_id", indexedThrough = "indexed_through", upToDate = "up_to_date"
        case lastBuild = "last_build"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(watchlist, forKey: .watchlist)
        try c.encode(model, forKey: .model)
        try c.encode(state.embeddingCount, forKey: .embeddings)
        try c.encode(state.maxEmbeddingID, forKey: .maxEmbeddingID)
        try c.encode(state.tombstoneCount, forKey: .tombstones)
        try c.encode(state.generation, forKey: .generation)
        try c.encode(indexedThrough, forKey: .indexedThrough)
        try c.encode(state.maxEmbeddingID <= indexedThrough, forKey: .upToDate)
        try c.encode(lastBuild, forKey: .lastBuild)  // null when the index was never built
        try c.encode(segments, forKey: .segments)
    }
}
