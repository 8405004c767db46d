import Search
import Store

/// How a search is answered: exactly, or through the persisted FAISS segments.
public enum SearchMethod: String, Sendable, CaseIterable, Codable {
    /// Every embedding in memory, queries batched into one sgemm.
    case exact
    /// FAISS segments with over-fetch and exact re-ranking.
    case ann
}

/// One probe face to search: its embedding and, for reports, where it was in the probe image.
public struct QueryFace: Sendable, Equatable {
    /// The embedding under the scope's model.
    public let embedding: [Float]
    /// Box in the probe image, x, y, width, height (nil when unknown).
    public let box: [Float]?

    /// A query.
    public init(embedding: [Float], box: [Float]? = nil) {
        self.embedding = embedding
        self.box = box
    }
}

/// What a search asks for.
public struct WatchlistSearchRequest: Sendable, Equatable {
    /// Exact or ANN.
    public var method: SearchMethod
    /// Candidates per query before the threshold.
    public var k: Int
    /// Largest distance reported as a match; nil: the metric's calibrated default.
    public var threshold: Float?
    /// ANN knobs (over-fetch, efSearch, nprobe).
    public var ann: ANNSearchOptions

    /// A request; `k` 5 and the default threshold unless told.
    public init(method: SearchMethod = .exact, k: Int = 5, threshold: Float? = nil, ann: ANNSearchOptions = ANNSearchOptions()) {
        self.method = method
        self.k = k
        self.threshold = threshold
        self.ann = ann
    }
}

/// One match of a probe face against the watchlist, everything a report row needs.
public struct WatchlistMatch: Sendable, Equatable, Codable {
    /// Identity id.
    public let identityID: Int64
    /// Identity display name.
    public let identityName: String
    /// Identity external id.
    public let externalID: String?
    /// Enrolled face id.
    public let faceID: Int64
    /// Embedding id.
    public let embeddingID: Int64
    /// Distance under the model's metric.
    public let distance: Float
    /// Cosine similarity of the two embeddings (whatever the metric), in [−1, 1].
    public let similarity: Float
    /// 1 for the closest match.
    public let rank: Int
    /// The threshold the match passed.
    public let threshold: Float
    /// The probe face's box.
    public let queryBox: [Float]?
    /// SHA-256 of the enrolled image.
    public let imageSHA256: String
    /// Path of the enrolled image as registered.
    public let sourcePath: String
}

/// The answer for one probe face: its box and its matches, best first.
public struct QueryResult: Sendable, Equatable, Codable {
    /// Position of the query in the request.
    public let queryIndex: Int
    /// The probe face's box.
    public let queryBox: [Float]?
    /// Matches within the threshold, best first.
    public let matches: [WatchlistMatch]
}
