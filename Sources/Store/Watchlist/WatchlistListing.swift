import Foundation
import Postgres

/// A watchlist with its live counts, for `facejob watchlist list`.
public struct WatchlistSummary: Sendable, Equatable {
    /// The watchlist.
    public let watchlist: Watchlist
    /// Live identities.
    public let identities: Int
    /// Live faces (all models).
    public let faces: Int
    /// When it was created.
    public let createdAt: Date
}

/// An identity with its live face count, for `facejob watchlist show`.
public struct IdentitySummary: Sendable, Equatable {
    /// Database id.
    public let id: Int64
    /// Display name.
    public let name: String
    /// External reference.
    public let externalID: String?
    /// Metadata as JSON text.
    public let metadata: String
    /// Live faces.
    public let faces: Int
    /// When it was created.
    public let createdAt: Date
}

/// One enrolled face, for `facejob watchlist show W IDENTITY`.
public struct FaceRecord: Sendable, Equatable {
    /// Face id (what `watchlist remove --face` takes).
    public let id: Int64
    /// The identity.
    public let identityID: Int64
    /// Embedding id (what index segments cover).
    public let embeddingID: Int64?
    /// Image path as enrolled.
    public let sourcePath: String
    /// Image SHA-256.
    public let imageSHA256: String
    /// Box x, y, width, height in pixels.
    public let box: [Float]
    /// Detector confidence.
    public let detectionScore: Float
    /// Model name.
    public let model: String
    /// Set when the face was removed.
    public let removedAt: Date?
}

extension WatchlistRepository {
    /// Every watchlist with live counts, by name.
    public func watchlistSummaries() throws -> [WatchlistSummary] {
        try connection.execute("""
            SELECT w.id, w.name, w.created_at,
                   (SELECT count(*) FROM identities i WHERE i.watchlist_id = w.id AND i.removed_at IS NULL),
                   (SELECT count(*) FROM faces f WHERE f.watchlist_id = w.id AND f.removed_at IS NULL)
            FROM watchlists w ORDER BY w.name
            """).rows.map { row in
            WatchlistSummary(watchlist: Watchlist(id: try row.decode(0), name: try row.decode(1)),
                             identities: try row.decode(3), faces: try row.decode(4), createdAt: try row.decode(2))
        }
    }

    /// The live identities of a watchlist, by name.
    public func identities(in watchlist: Watchlist) throws -> [IdentitySummary] {
        try connection.execute("""
            SELECT i.id, i.name, i.external_id, i.metadata::text, i.created_at,
                   (SELECT count(*) FROM faces f WHERE f.identity_id = i.id AND f.removed_at IS NULL)
            FROM identities i WHERE i.watchlist_id = $1 AND i.removed_at IS NULL ORDER BY i.name, i.id
            """, [.int8(watchlist.id)]).rows.map { row in
            IdentitySummary(id: try row.decode(0), name: try row.decode(1), externalID: try row.decode(2),
                            metadata: try row.decode(3), faces: try row.decode(5), createdAt: try row.decode(4))
        }
    }

    /// A live identity, given by name (else by id) as `faces(ofIdentity:in:)` resolves it.
    public func identity(_ identity: String, in watchlist: Watchlist) throws -> IdentitySummary {
        let id = try liveIdentityID(identity, in: watchlist)
        guard let found = try identities(in: watchlist).first(where: { $0.id == id }) else {
            throw WatchlistError.unknownIdentity(watchlist: watchlist.name, identity: identity)
        }
        return found
    }

    /// The faces of a live identity (given by name or id), removed ones included when asked.
    public func faces(ofIdentity identity: String, in watchlist: Watchlist, includeRemoved: Bool = false) throws -> [FaceRecord] {
        let id = try liveIdentityID(identity, in: watchlist)
        return try connection.execute("""
            SELECT f.id, f.identity_id, e.id, g.source_path, g.image_sha256, f.box, f.detection_score, m.name, f.removed_at
            FROM faces f JOIN enrolled_images g ON g.id = f.image_id JOIN embedding_models m ON m.id = f.model_id
            LEFT JOIN embeddings e ON e.face_id = f.id
            WHERE f.identity_id = $1 AND ($2 OR f.removed_at IS NULL) ORDER BY f.id
            """, [.int8(id), .bool(includeRemoved)]).rows.map { row in
            FaceRecord(id: try row.decode(0), identityID: try row.decode(1), embeddingID: try row.decode(2),
                       sourcePath: try row.decode(3), imageSHA256: try row.decode(4), box: try row.decode(5),
                       detectionScore: try row.decode(6), model: try row.decode(7), removedAt: try row.decode(8))
        }
    }
}
