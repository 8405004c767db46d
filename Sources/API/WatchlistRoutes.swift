import Foundation
import Store

/// `GET/DELETE /watchlists/{w}/identities[/{id}]`: list, show and remove enrolled identities.
extension APIService {
    /// The live identities of a watchlist.
    func listIdentities(watchlist name: String) async throws -> IdentityListResponse {
        try await withRepository { repository in
            let watchlist = try repository.watchlist(named: name)
            return IdentityListResponse(watchlist: name, identities: try repository.identities(in: watchlist).map(IdentityResponse.init))
        }
    }

    /// One identity (by id or name) with its faces.
    func showIdentity(watchlist name: String, identity: String) async throws -> IdentityResponse {
        try await withRepository { repository in
            let watchlist = try repository.watchlist(named: name)
            guard let summary = try repository.identities(in: watchlist).first(where: { String($0.id) == identity || $0.name == identity })
            else { throw WatchlistError.unknownIdentity(watchlist: name, identity: identity) }
            var out = IdentityResponse(summary)
            out.watchlist = name
            out.faceRecords = try repository.faces(ofIdentity: identity, in: watchlist).map(IdentityResponse.Face.init)
            return out
        }
    }

    /// Removes an identity (audited; invisible to the very next search).
    func removeIdentity(watchlist name: String, identity: String, reason: String?) async throws -> RemovalResponse {
        let actor = self.actor
        return try await withRepository { repository in
            let watchlist = try repository.watchlist(named: name)
            let report = try repository.removeIdentity(identity, from: watchlist, actor: actor, reason: reason)
            return RemovalResponse(watchlist: name, identity: identity, removedFaces: report.faces, tombstones: report.tombstones,
                                   auditID: report.auditID)
        }
    }

    /// Live faces and identities per watchlist, for /metrics.
    func indexSizes() async throws -> [(watchlist: String, faces: Int, identities: Int)] {
        try await withRepository { repository in
            try repository.watchlistSummaries().map { (watchlist: $0.watchlist.name, faces: $0.faces, identities: $0.identities) }
        }
    }
}
