/// One result of a search: the embedding id, its distance to the query, and its 1-based rank.
public struct SearchHit: Sendable, Equatable, Hashable, Codable {
    /// Embedding id.
    public let id: Int64
    /// Distance under the search's metric (euclidean, or cosine distance 1 − cos).
    public let distance: Float
    /// 1 for the closest hit.
    public let rank: Int

    /// A hit.
    public init(id: Int64, distance: Float, rank: Int) {
        self.id = id
        self.distance = distance
        self.rank = rank
    }
}
