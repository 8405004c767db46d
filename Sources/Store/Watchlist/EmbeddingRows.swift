import Postgres

/// Embeddings read from the database: ids ascending, vectors row-major beside them.
public struct EmbeddingRows: Sendable, Equatable {
    /// Embedding ids, ascending.
    public var ids: [Int64]
    /// `ids.count × dimension` floats.
    public var vectors: [Float]

    /// Rows as read.
    public init(ids: [Int64] = [], vectors: [Float] = []) {
        self.ids = ids
        self.vectors = vectors
    }
}

/// The scope's counters at one moment; a cache built at an equal state is current.
public struct ScopeState: Sendable, Equatable {
    /// Embeddings ever stored in the scope (tombstoned ones included).
    public let embeddingCount: Int
    /// Largest embedding id stored.
    public let maxEmbeddingID: Int64
    /// Tombstones.
    public let tombstoneCount: Int
    /// Bumped whenever the index segments change.
    public let generation: Int64

    /// The state of a scope that never saw a row.
    public static let empty = ScopeState(embeddingCount: 0, maxEmbeddingID: 0, tombstoneCount: 0, generation: 0)

    /// A state.
    public init(embeddingCount: Int, maxEmbeddingID: Int64, tombstoneCount: Int, generation: Int64) {
        self.embeddingCount = embeddingCount
        self.maxEmbeddingID = maxEmbeddingID
        self.tombstoneCount = tombstoneCount
        self.generation = generation
    }
}
