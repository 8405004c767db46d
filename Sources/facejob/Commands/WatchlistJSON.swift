import API
import Foundation
import Store

/// `facejob watchlist list --json` (docs/watchlist.md).
struct WatchlistListJSON: Encodable {
    /// One watchlist with its live counts.
    struct Entry: Encodable {
        var summary: WatchlistSummary

        enum CodingKeys: String, CodingKey {
            case id, name, identities, faces
            case createdAt = "created_at"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(summary.watchlist.id, forKey: .id)
            try c.encode(summary.watchlist.name, forKey: .name)
            try c.encode(summary.identities, forKey: .identities)
            try c.encode(summary.faces, forKey: .faces)
            try c.encode(JSONOutput.time(summary.createdAt), forKey: .createdAt)
        }
    }

    /// By name.
    var watchlists: [Entry]
}

/// `facejob watchlist show --watchlist W --json`: what `GET /watchlists/{w}/identities` answers,
/// plus each model's embeddings and index (`IndexStatusJSON`).
struct WatchlistShowJSON: Encodable {
    var watchlist: String
    var identities: [IdentityResponse]
    var models: [IndexStatusJSON]
}
