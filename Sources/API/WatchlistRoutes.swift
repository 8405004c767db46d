import Foundation
import Store

/// `GET/DELETE /watchlists/{w}/identities[/{id}]`: list, show and remove enrolled identities.
extension APIService {
    /// The live identities of a watchlist.
    func listIdentities(watchlist name: String) async throws -> [String: Any] {
        try await withRepository { repository in
            let watchlist = try repository.watchlist(named: name)
            let list: [[String: Any]] = try repository.identities(in: watchlist).map(Self.identity)
            return ["watchlist": name, "identities": list] as [String: Any]
        }
    }

    /// One identity (by id or name) with its faces.
    func showIdentity(watchlist name: String, identity: String) async throws -> [String: Any] {
        try await withRepository { repository in
            let watchlist = try repository.watchlist(named: name)
            guard let summary = try repository.identities(in: watchlist).first(where: { String($0.id) == identity || $0.name == identity })
            else { throw WatchlistError.unknownIdentity(watchlist: name, identity: identity) }
            var out = Self.identity(summary)
            out["watchlist"] = name
            out["face_records"] = try repository.faces(ofIdentity: identity, in: watchlist).map { f -> [String: Any] in
                ["face_id": f.id, "embedding_id": f.embeddingID ?? NSNull(), "img_name": f.sourcePath, "hash": f.imageSHA256,
                 "box": f.box.map(Double.init), "detection_score": Double(f.detectionScore), "model": f.model]
            }
            return out
        }
    }

    /// Removes an identity (audited; invisible to the very next search).
    func removeIdentity(watchlist name: String, identity: String, reason: String?) async throws -> [String: Any] {
        let actor = self.actor
        return try await withRepository { repository in
            let watchlist = try repository.watchlist(named: name)
            let report = try repository.removeIdentity(identity, from: watchlist, actor: actor, reason: reason)
            return ["watchlist": name, "identity": identity, "removed_faces": report.faces,
                    "tombstones": report.tombstones, "audit_id": report.auditID] as [String: Any]
        }
    }

    static func identity(_ i: IdentitySummary) -> [String: Any] {
        let metadata: Any = (try? JSONSerialization.jsonObject(with: Data(i.metadata.utf8))) ?? i.metadata
        return ["id": i.id, "name": i.name, "external_id": i.externalID ?? NSNull(), "metadata": metadata, "faces": i.faces,
                "created_at": ISO8601DateFormatter().string(from: i.createdAt)]
    }

    /// Live faces and identities per watchlist, for /metrics.
    func indexSizes() async throws -> [(watchlist: String, faces: Int, identities: Int)] {
        try await withRepository { repository in
            try repository.watchlistSummaries().map { (watchlist: $0.watchlist.name, faces: $0.faces, identities: $0.identities) }
        }
    }
}
