import Watchlist

/// A frame's hits from its faces' search answers: each face's matches, one per identity (several
/// enrolled faces of one identity may match: the closest speaks for it), then one face per
/// identity in the frame (`FaceHit.bestPerIdentity`).
enum HitSelection {
    /// The frame's hits with the match behind each, ordered by detection index and rank.
    static func hits(answers: [QueryResult]) -> [(hit: FaceHit, match: WatchlistMatch)] {
        var candidates: [FaceHit] = []
        var matchOf: [String: WatchlistMatch] = [:]
        for (d, answer) in answers.enumerated() {
            var seen = Set<Int64>()
            for m in answer.matches where seen.insert(m.identityID).inserted {
                candidates.append(FaceHit(detectionIndex: d, identityID: m.identityID, distance: Double(m.distance), rank: m.rank))
                matchOf["\(d)/\(m.identityID)"] = m
            }
        }
        return FaceHit.bestPerIdentity(candidates).compactMap { h in
            matchOf["\(h.detectionIndex)/\(h.identityID)"].map { (h, $0) }
        }
    }
}
