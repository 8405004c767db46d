import Common
import Foundation
import Postgres

/// One index segment row: FAISS bytes over a contiguous embedding-id range, and the facts the
/// search layer needs to trust them (factory, metric, dimension, vectors, compacted tombstones).
public struct StoredSegment: Sendable, Equatable {
    /// Smallest embedding id covered.
    public let firstID: Int64
    /// Largest embedding id covered.
    public let lastID: Int64
    /// Vectors inside.
    public let count: Int
    /// Factory the bytes were built with.
    public let factory: String
    /// Factory the build asked for.
    public let requestedFactory: String
    /// `euclidean` or `cosine`.
    public let metric: String
    /// Vector dimension.
    public let dimension: Int
    /// Tombstones a compaction left out of the bytes.
    public let excludedTombstones: Int
    /// The serialised FAISS index; empty when read without bytes.
    public let bytes: [UInt8]
    /// Size of the bytes in the database.
    public let byteCount: Int
    /// What wrote the bytes: `faiss` or `facejob-ivf`.
    public let kind: String
    /// The writer's version (FAISS's library version, facejob's IVF format version).
    public let kindVersion: String

    /// A segment row.
    public init(firstID: Int64, lastID: Int64, count: Int, factory: String, requestedFactory: String, metric: String,
                dimension: Int, excludedTombstones: Int, bytes: [UInt8], byteCount: Int? = nil,
                kind: String, kindVersion: String) {
        self.firstID = firstID
        self.lastID = lastID
        self.count = count
        self.factory = factory
        self.requestedFactory = requestedFactory
        self.metric = metric
        self.dimension = dimension
        self.excludedTombstones = excludedTombstones
        self.bytes = bytes
        self.byteCount = byteCount ?? bytes.count
        self.kind = kind
        self.kindVersion = kindVersion
    }
}

/// What the last index build of a scope did.
public struct IndexBuildState: Sendable, Equatable {
    /// Factory of the last build.
    public let factory: String?
    /// `running`, `done`, `failed`.
    public let status: String?
    /// When it started.
    public let startedAt: Date?
    /// When it ended.
    public let finishedAt: Date?
    /// Batches it committed.
    public let batches: Int
    /// Embeddings it added.
    public let added: Int
}

extension WatchlistRepository {
    /// The scope's segments ascending by first id; without their bytes unless asked. Bytes read
    /// are checked against the SHA-256 stored with them (`WatchlistError.corruptSegment`).
    public func segments(_ scope: WatchlistScope, withBytes: Bool = true) throws -> [StoredSegment] {
        let result = try connection.execute("""
            SELECT first_id, last_id, vector_count, factory, requested_factory, metric, dimension,
                   excluded_tombstones, \(withBytes ? "bytes" : "''::bytea"), octet_length(bytes)::bigint,
                   kind, kind_version, sha256
            FROM index_segments WHERE watchlist_id = $1 AND model_id = $2 ORDER BY first_id
            """, scope.parameters, resultFormat: .binary)
        return try result.rows.map { row in
            let segment = StoredSegment(
                firstID: try row.decode(0), lastID: try row.decode(1), count: try row.decode(2),
                factory: try row.decode(3), requestedFactory: try row.decode(4), metric: try row.decode(5),
                dimension: try row.decode(6), excludedTombstones: try row.decode(7),
                bytes: [UInt8](try row.decode(8, as: Data.self)), byteCount: try row.decode(9),
                kind: try row.decode(10), kindVersion: try row.decode(11))
            if withBytes, let stored = try row.decode(12, as: Data?.self), SHA256Digest.bytes(segment.bytes) != [UInt8](stored) {
                throw WatchlistError.corruptSegment(watchlist: scope.watchlist.name, range: "\(segment.firstID)...\(segment.lastID)")
            }
            return segment
        }
    }

    /// In one transaction: drops the segments starting at `firstIDs`, stores `segments`, and bumps
    /// the scope's generation so search caches reload.
    public func replaceSegments(_ scope: WatchlistScope, firstIDs: [Int64], with segments: [StoredSegment]) throws {
        try connection.transaction {
            if !firstIDs.isEmpty {
                try connection.execute("""
                    DELETE FROM index_segments WHERE watchlist_id = $1 AND model_id = $2 AND first_id = ANY($3)
                    """, scope.parameters + [.int8Array(firstIDs)])
            }
            for s in segments {
                try connection.execute("""
                    INSERT INTO index_segments (watchlist_id, model_id, first_id, last_id, vector_count, factory,
                        requested_factory, metric, dimension, excluded_tombstones, bytes, kind, kind_version, sha256)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                    """, scope.parameters + [.int8(s.firstID), .int8(s.lastID), .int4(Int32(clamping: s.count)),
                                             .text(s.factory), .text(s.requestedFactory), .text(s.metric),
                                             .int4(Int32(clamping: s.dimension)), .int4(Int32(clamping: s.excludedTombstones)),
                                             .bytea(Data(s.bytes)), .text(s.kind), .text(s.kindVersion),
                                             .bytea(Data(SHA256Digest.bytes(s.bytes)))])
            }
            try bumpState(scope, generation: 1)
        }
    }

    /// Drops every segment of the scope (a rebuild with another factory starts from nothing).
    public func dropSegments(_ scope: WatchlistScope, actor: String) throws -> Int {
        try connection.transaction {
            let dropped = try connection.execute("DELETE FROM index_segments WHERE watchlist_id = $1 AND model_id = $2",
                                                 scope.parameters).affectedRows
            try bumpState(scope, generation: 1)
            try audit(actor: actor, action: "index.drop", subject: "watchlist/\(scope.watchlist.name)",
                      details: ["model": scope.model.key.name, "segments": dropped])
            return dropped
        }
    }

    /// Records that a build started.
    public func beginBuild(_ scope: WatchlistScope, factory: String) throws {
        try bumpState(scope)
        try connection.execute("""
            UPDATE index_state SET factory = $3, build_status = 'running', build_started_at = now(),
                build_finished_at = NULL, build_batches = 0, build_added = 0
            WHERE watchlist_id = $1 AND model_id = $2
            """, scope.parameters + [.text(factory)])
    }

    /// Records how a build ended.
    public func finishBuild(_ scope: WatchlistScope, status: String, batches: Int, added: Int) throws {
        try connection.execute("""
            UPDATE index_state SET build_status = $3, build_finished_at = now(), build_batches = $4, build_added = $5
            WHERE watchlist_id = $1 AND model_id = $2
            """, scope.parameters + [.text(status), .int4(Int32(clamping: batches)), .int8(Int64(added))])
    }

    /// What the last build of the scope did.
    public func buildState(_ scope: WatchlistScope) throws -> IndexBuildState {
        let result = try connection.execute("""
            SELECT factory, build_status, build_started_at, build_finished_at, build_batches, build_added
            FROM index_state WHERE watchlist_id = $1 AND model_id = $2
            """, scope.parameters)
        guard result.rowCount == 1 else {
            return IndexBuildState(factory: nil, status: nil, startedAt: nil, finishedAt: nil, batches: 0, added: 0)
        }
        let row = result[0]
        return IndexBuildState(factory: try row.decode(0), status: try row.decode(1), startedAt: try row.decode(2),
                               finishedAt: try row.decode(3), batches: try row.decode(4), added: try row.decode(5))
    }
}
