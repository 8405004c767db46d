import Postgres

/// Who an embedding belongs to: what a search hit shows besides its distance.
public struct MatchDetails: Sendable, Equatable {
    /// Embedding id.
    public let embeddingID: Int64
    /// Face id.
    public let faceID: Int64
    /// Identity id.
    public let identityID: Int64
    /// Identity display name.
    public let identityName: String
    /// Identity external id.
    public let externalID: String?
    /// The enrolled image's SHA-256 (evidence).
    public let imageSHA256: String
    /// The enrolled image's path as registered.
    public let sourcePath: String
    /// Box of the enrolled face, x, y, width, height.
    public let box: [Float]
}

extension WatchlistRepository {
    /// Details of the given embeddings within a scope (ids outside the scope are left out).
    public func matchDetails(_ embeddingIDs: [Int64], scope: WatchlistScope) throws -> [Int64: MatchDetails] {
        guard !embeddingIDs.isEmpty else { return [:] }
        var out: [Int64: MatchDetails] = [:]
        for row in try connection.execute("""
            SELECT e.id, f.id, i.id, i.name, i.external_id, g.image_sha256, g.source_path, f.box
            FROM embeddings e JOIN faces f ON f.id = e.face_id JOIN identities i ON i.id = f.identity_id
            JOIN enrolled_images g ON g.id = f.image_id
            WHERE e.watchlist_id = $1 AND e.model_id = $2 AND e.id = ANY($3)
            """, scope.parameters + [.int8Array(Array(Set(embeddingIDs)))]).rows {
            let details = MatchDetails(embeddingID: try row.decode(0), faceID: try row.decode(1),
                                       identityID: try row.decode(2), identityName: try row.decode(3),
                                       externalID: try row.decode(4), imageSHA256: try row.decode(5),
                                       sourcePath: try row.decode(6), box: try row.decode(7))
            out[details.embeddingID] = details
        }
        return out
    }
}
