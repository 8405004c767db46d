import Postgres

/// The unit every embedding query is confined to: one watchlist under one model. Searches, index
/// builds and caches all work per scope, which is how embeddings of different models never mix.
public struct WatchlistScope: Sendable, Equatable, Hashable {
    /// The watchlist.
    public let watchlist: Watchlist
    /// The model whose embeddings are meant.
    public let model: EmbeddingModelRecord

    /// A scope.
    public init(watchlist: Watchlist, model: EmbeddingModelRecord) {
        self.watchlist = watchlist
        self.model = model
    }

    /// Registration holds this lock shared for its transaction and an index build takes it
    /// exclusively while reading a batch, so a build never reads past an id that an open
    /// registration could still commit below (bigserial ids are handed out before commit).
    public var embeddingLock: AdvisoryLockKey {
        AdvisoryLockKey(name: "facejob.embeddings:\(watchlist.id):\(model.id)")
    }

    /// Held for a whole index build, so concurrent builds of the same scope take turns.
    public var buildLock: AdvisoryLockKey {
        AdvisoryLockKey(name: "facejob.index-build:\(watchlist.id):\(model.id)")
    }

    /// The two parameters `$1, $2` that confine a query to the scope.
    var parameters: [PostgresValue] { [.int8(watchlist.id), .int4(model.id)] }
}
