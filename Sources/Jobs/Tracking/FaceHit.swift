/// A search result under the threshold for one face of a frame.
public struct FaceHit: Sendable, Equatable {
    /// The face's index within its frame.
    public var detectionIndex: Int
    /// Identity matched.
    public var identityID: Int64
    /// Embedding distance to the identity.
    public var distance: Double
    /// Rank of the identity among the face's candidates (1 = nearest).
    public var rank: Int

    /// Creates a hit.
    public init(detectionIndex: Int, identityID: Int64, distance: Double, rank: Int) {
        self.detectionIndex = detectionIndex
        self.identityID = identityID
        self.distance = distance
        self.rank = rank
    }

    /// One identity at most once per frame: a person cannot stand in two places at once, so when
    /// several faces of one frame match the same identity only the closest is kept (ties: better
    /// rank, then lower detection index). The kept hits keep their original rank. Output is sorted
    /// by detection index and rank, whatever the input order.
    public static func bestPerIdentity(_ hits: [FaceHit]) -> [FaceHit] {
        var best: [Int64: FaceHit] = [:]
        for h in hits {
            if let current = best[h.identityID], !precedes(h, current) { continue }
            best[h.identityID] = h
        }
        return best.values.sorted { ($0.detectionIndex, $0.rank, $0.identityID) < ($1.detectionIndex, $1.rank, $1.identityID) }
    }

    private static func precedes(_ a: FaceHit, _ b: FaceHit) -> Bool {
        if a.distance != b.distance { return a.distance < b.distance }
        if a.rank != b.rank { return a.rank < b.rank }
        return a.detectionIndex < b.detectionIndex
    }
}
