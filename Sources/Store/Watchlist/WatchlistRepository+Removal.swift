import Foundation
import Postgres

/// What a removal tombstoned.
public struct RemovalReport: Sendable, Equatable {
    /// Faces marked removed.
    public let faces: Int
    /// Embeddings tombstoned (invisible to every search from the moment of commit).
    public let tombstones: Int
    /// The audit row recording the removal.
    public let auditID: Int64
}

extension WatchlistRepository {
    /// Removes an identity and all its faces: one audit row, tombstones for every embedding, and the
    /// images freed for re-enrollment. Rows stay in place for the record; searches skip them.
    public func removeIdentity(_ identity: String, from watchlist: Watchlist, actor: String,
                               reason: String? = nil) throws -> RemovalReport {
        try connection.transaction {
            let id = try liveIdentityID(identity, in: watchlist)
            let auditID = try audit(actor: actor, action: "identity.remove",
                                    subject: "watchlist/\(watchlist.name)/identity/\(id)",
                                    details: ["identity": identity, "reason": JSONText.optional(reason)])
            try connection.execute("UPDATE identities SET removed_at = now() WHERE id = $1", [.int8(id)])
            try connection.execute("UPDATE enrolled_images SET removed_at = now() WHERE identity_id = $1 AND removed_at IS NULL",
                                   [.int8(id)])
            let faces = try connection.execute("""
                UPDATE faces SET removed_at = now() WHERE identity_id = $1 AND removed_at IS NULL RETURNING id
                """, [.int8(id)]).rows.map { try $0.decode(0, as: Int64.self) }
            let tombstones = try tombstone(faceIDs: faces, watchlist: watchlist, auditID: auditID)
            return RemovalReport(faces: faces.count, tombstones: tombstones, auditID: auditID)
        }
    }

    /// Removes one face: audited, its embedding tombstoned; its image is freed for re-enrollment
    /// once no live face of it remains.
    public func removeFace(_ faceID: Int64, from watchlist: Watchlist, actor: String,
                           reason: String? = nil) throws -> RemovalReport {
        try connection.transaction {
            let found = try connection.execute("""
                SELECT identity_id, image_id FROM faces WHERE id = $1 AND watchlist_id = $2 AND removed_at IS NULL
                FOR UPDATE
                """, [.int8(faceID), .int8(watchlist.id)])
            guard found.rowCount == 1 else { throw WatchlistError.unknownFace(watchlist: watchlist.name, faceID: faceID) }
            let identityID = try found[0].decode(0, as: Int64.self), imageID = try found[0].decode(1, as: Int64.self)
            let auditID = try audit(actor: actor, action: "face.remove",
                                    subject: "watchlist/\(watchlist.name)/identity/\(identityID)/face/\(faceID)",
                                    details: ["face_id": faceID, "reason": JSONText.optional(reason)])
            try connection.execute("UPDATE faces SET removed_at = now() WHERE id = $1", [.int8(faceID)])
            try connection.execute("""
                UPDATE enrolled_images SET removed_at = now() WHERE id = $1 AND removed_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM faces WHERE image_id = $1 AND removed_at IS NULL)
                """, [.int8(imageID)])
            let tombstones = try tombstone(faceIDs: [faceID], watchlist: watchlist, auditID: auditID)
            return RemovalReport(faces: 1, tombstones: tombstones, auditID: auditID)
        }
    }

    /// The id of a live identity given by name or by numeric id.
    func liveIdentityID(_ identity: String, in watchlist: Watchlist) throws -> Int64 {
        var result = try connection.execute("""
            SELECT id FROM identities WHERE watchlist_id = $1 AND name = $2 AND removed_at IS NULL
            """, [.int8(watchlist.id), .text(identity)])
        if result.rowCount == 0, let numeric = Int64(identity) {
            result = try connection.execute("""
                SELECT id FROM identities WHERE watchlist_id = $1 AND id = $2 AND removed_at IS NULL
                """, [.int8(watchlist.id), .int8(numeric)])
        }
        guard result.rowCount == 1 else {
            throw WatchlistError.unknownIdentity(watchlist: watchlist.name, identity: identity)
        }
        return try result[0].decode(0, as: Int64.self)
    }

    /// Tombstones the embeddings of `faceIDs` and bumps each affected scope's counter.
    private func tombstone(faceIDs: [Int64], watchlist: Watchlist, auditID: Int64) throws -> Int {
        guard !faceIDs.isEmpty else { return 0 }
        let rows = try connection.execute("""
            INSERT INTO tombstones (embedding_id, watchlist_id, model_id, face_id, audit_id)
            SELECT e.id, e.watchlist_id, e.model_id, e.face_id, $2 FROM embeddings e
            WHERE e.face_id = ANY($1) ON CONFLICT (embedding_id) DO NOTHING
            RETURNING model_id
            """, [.int8Array(faceIDs), .int8(auditID)]).rows
        var perModel: [Int32: Int] = [:]
        for row in rows { perModel[try row.decode(0, as: Int32.self), default: 0] += 1 }
        for (model, count) in perModel {
            try connection.execute("""
                UPDATE index_state SET tombstone_count = tombstone_count + $3 WHERE watchlist_id = $1 AND model_id = $2
                """, [.int8(watchlist.id), .int4(model), .int8(Int64(count))])
        }
        return rows.count
    }
}
