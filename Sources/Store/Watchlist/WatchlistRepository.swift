import Foundation
import Postgres

/// The watchlist in PostgreSQL: watchlists, models, identities, enrolled images, faces, compact
/// embeddings, tombstones, audit rows and the persisted ANN index segments. Every statement that
/// touches embeddings is confined to one `WatchlistScope` (watchlist + model).
///
/// Like its connection, a repository is used from one thread at a time.
public final class WatchlistRepository: @unchecked Sendable {
    /// The connection every statement runs on.
    public let connection: PostgresConnection
    private var namespace: String?

    /// A repository over a migrated connection.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// What tells this repository's database and schema apart from every other one the process
    /// talks to (ids repeat across them), for caches keyed by watchlist id. Read once.
    public func cacheNamespace() throws -> String {
        if let namespace { return namespace }
        let key = try connection.execute("""
            SELECT current_database() || '/' || current_schema() || '@' || coalesce(inet_server_addr()::text, 'socket')
            """).scalar(String.self) + "|" + connection.displayURL
        namespace = key
        return key
    }

    // MARK: Watchlists

    /// The watchlist with this name; throws `WatchlistError.unknownWatchlist` when there is none.
    public func watchlist(named name: String) throws -> Watchlist {
        let result = try connection.execute("SELECT id FROM watchlists WHERE name = $1", [.text(name)])
        guard result.rowCount == 1 else { throw WatchlistError.unknownWatchlist(name) }
        return Watchlist(id: try result[0].decode(0, as: Int64.self), name: name)
    }

    /// The watchlist with this name, created (and audited) when missing.
    public func ensureWatchlist(named name: String, actor: String) throws -> Watchlist {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw WatchlistError.invalid("a watchlist name must not be empty") }
        return try connection.transaction {
            let inserted = try connection.execute("""
                INSERT INTO watchlists (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id
                """, [.text(trimmed)])
            if inserted.rowCount == 1 {
                let watchlist = Watchlist(id: try inserted[0].decode(0, as: Int64.self), name: trimmed)
                _ = try audit(actor: actor, action: "watchlist.create", subject: "watchlist/\(trimmed)",
                              details: ["watchlist_id": watchlist.id])
                return watchlist
            }
            return try watchlist(named: trimmed)
        }
    }

    // MARK: Models

    /// The stored record of a model, created on first use. Throws when the same name and weights
    /// were recorded with another dimension or metric.
    public func model(for key: EmbeddingModelKey) throws -> EmbeddingModelRecord {
        guard key.weightsSHA256.range(of: "^[0-9a-f]{64}$", options: .regularExpression) != nil else {
            throw WatchlistError.invalid("model weights hash \"\(key.weightsSHA256)\" is not 64 lowercase hex digits")
        }
        guard key.dimension > 0, ["euclidean", "cosine"].contains(key.metric) else {
            throw WatchlistError.invalid("model \(key.name): dimension \(key.dimension), metric \(key.metric) are not valid")
        }
        try connection.execute("""
            INSERT INTO embedding_models (name, weights_sha256, dimension, metric) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name, weights_sha256) DO NOTHING
            """, [.text(key.name), .text(key.weightsSHA256), .int4(Int32(key.dimension)), .text(key.metric)])
        let row = try connection.execute("""
            SELECT id, dimension, metric FROM embedding_models WHERE name = $1 AND weights_sha256 = $2
            """, [.text(key.name), .text(key.weightsSHA256)])[0]
        let dimension = try row.decode(1, as: Int.self), metric = try row.decode(2, as: String.self)
        guard dimension == key.dimension, metric == key.metric else {
            throw WatchlistError.modelConflict(name: key.name, stored: "\(dimension)-d \(metric)",
                                               given: "\(key.dimension)-d \(key.metric)")
        }
        return EmbeddingModelRecord(id: try row.decode(0, as: Int32.self), key: key)
    }

    /// The models that have embeddings in a watchlist, most embeddings first.
    public func models(in watchlist: Watchlist) throws -> [EmbeddingModelRecord] {
        try connection.execute("""
            SELECT m.id, m.name, m.weights_sha256, m.dimension, m.metric
            FROM embedding_models m JOIN index_state s ON s.model_id = m.id
            WHERE s.watchlist_id = $1 AND s.embedding_count > 0
            ORDER BY s.embedding_count DESC, m.id
            """, [.int8(watchlist.id)]).rows.map { row in
            EmbeddingModelRecord(id: try row.decode(0), key: EmbeddingModelKey(
                name: try row.decode(1), weightsSHA256: try row.decode(2), dimension: try row.decode(3),
                metric: try row.decode(4)))
        }
    }

    // MARK: Audit

    /// Appends an audit row (see `AuditLog`) and returns its id.
    @discardableResult
    public func audit(actor: String, action: String, subject: String, details: [String: Any]) throws -> Int64 {
        try AuditLog(connection: connection).append(actor: actor, action: action, subject: subject, details: details)
    }

    /// Audit rows about a watchlist, newest first.
    public func auditTrail(of watchlist: Watchlist, limit: Int = 100) throws -> [AuditEntry] {
        try AuditLog(connection: connection).entries(subject: "watchlist/\(watchlist.name)", limit: limit)
    }

    /// Adds to the scope's counters (in the caller's transaction) so caches see the change.
    func bumpState(_ scope: WatchlistScope, embeddings: Int = 0, maxEmbeddingID: Int64 = 0, tombstones: Int = 0,
                   generation: Int = 0) throws {
        try connection.execute("""
            INSERT INTO index_state (watchlist_id, model_id, embedding_count, max_embedding_id, tombstone_count, generation)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (watchlist_id, model_id) DO UPDATE SET
                embedding_count = index_state.embedding_count + EXCLUDED.embedding_count,
                max_embedding_id = greatest(index_state.max_embedding_id, EXCLUDED.max_embedding_id),
                tombstone_count = index_state.tombstone_count + EXCLUDED.tombstone_count,
                generation = index_state.generation + EXCLUDED.generation
            """, scope.parameters + [.int8(Int64(embeddings)), .int8(maxEmbeddingID), .int8(Int64(tombstones)),
                                     .int8(Int64(generation))])
    }
}
