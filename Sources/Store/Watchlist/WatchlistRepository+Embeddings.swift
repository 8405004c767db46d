import Foundation
import Postgres

extension WatchlistRepository {
    /// The scope's counters (one primary-key read).
    public func state(of scope: WatchlistScope) throws -> ScopeState {
        let result = try connection.execute("""
            SELECT embedding_count, max_embedding_id, tombstone_count, generation FROM index_state
            WHERE watchlist_id = $1 AND model_id = $2
            """, scope.parameters)
        guard result.rowCount == 1 else { return .empty }
        let row = result[0]
        return ScopeState(embeddingCount: try row.decode(0), maxEmbeddingID: try row.decode(1),
                          tombstoneCount: try row.decode(2), generation: try row.decode(3))
    }

    /// Up to `limit` embeddings of the scope with ids above `id` (all when nil), ascending;
    /// tombstoned ones included (searches filter them, segments must cover them).
    public func embeddings(_ scope: WatchlistScope, after id: Int64?, limit: Int) throws -> EmbeddingRows {
        try readEmbeddings("""
            SELECT id, vector FROM embeddings WHERE watchlist_id = $1 AND model_id = $2 AND id > $3
            ORDER BY id LIMIT $4
            """, scope.parameters + [.int8(id ?? Int64.min), .int8(Int64(max(0, limit)))], dimension: scope.model.key.dimension)
    }

    /// The scope's embeddings with ids in `range`, ascending.
    public func embeddings(_ scope: WatchlistScope, in range: ClosedRange<Int64>) throws -> EmbeddingRows {
        try readEmbeddings("""
            SELECT id, vector FROM embeddings WHERE watchlist_id = $1 AND model_id = $2 AND id BETWEEN $3 AND $4
            ORDER BY id
            """, scope.parameters + [.int8(range.lowerBound), .int8(range.upperBound)], dimension: scope.model.key.dimension)
    }

    /// Every embedding of the scope with an id above `id`, read in pages so no single result
    /// holds the whole gallery twice.
    public func allEmbeddings(_ scope: WatchlistScope, after id: Int64? = nil, pageSize: Int = 65_536) throws -> EmbeddingRows {
        var out = EmbeddingRows()
        var last = id
        while true {
            let page = try embeddings(scope, after: last, limit: pageSize)
            out.ids += page.ids
            out.vectors += page.vectors
            guard page.ids.count == pageSize, let end = page.ids.last else { break }
            last = end
        }
        return out
    }

    /// Like `embeddings(_:after:limit:)`, but first waits for every registration in flight to
    /// commit (exclusive embedding lock, held until this read's transaction ends), so no id below
    /// the returned ones can appear later. Index builds read through this.
    public func embeddingsForBuild(_ scope: WatchlistScope, after id: Int64?, limit: Int) throws -> EmbeddingRows {
        try connection.transaction {
            try connection.advisoryTransactionLock(scope.embeddingLock)
            return try embeddings(scope, after: id, limit: limit)
        }
    }

    /// Tombstoned embedding ids of the scope.
    public func tombstones(_ scope: WatchlistScope) throws -> Set<Int64> {
        let result = try connection.execute("""
            SELECT embedding_id FROM tombstones WHERE watchlist_id = $1 AND model_id = $2
            """, scope.parameters, resultFormat: .binary)
        var out = Set<Int64>(minimumCapacity: result.rowCount)
        for i in 0..<result.rowCount { out.insert(try result[i].decode(0, as: Int64.self)) }
        return out
    }

    private func readEmbeddings(_ sql: String, _ parameters: [PostgresValue], dimension: Int) throws -> EmbeddingRows {
        let result = try connection.execute(sql, parameters, resultFormat: .binary)
        let n = result.rowCount
        var ids = [Int64](repeating: 0, count: n)
        var vectors = [Float](repeating: 0, count: n * dimension)
        let bytes = dimension * 4
        try vectors.withUnsafeMutableBytes { out in
            for i in 0..<n {
                let row = result[i]
                ids[i] = try row.decode(0, as: Int64.self)
                let cell = try result.cell(row: i, column: 1)
                try cell.withBytes { raw in
                    guard raw.count == bytes, let source = raw.baseAddress, let target = out.baseAddress else {
                        throw WatchlistError.embeddingDimension(expected: dimension, got: raw.count / 4)
                    }
                    (target + i * bytes).copyMemory(from: source, byteCount: bytes)
                }
            }
        }
        #if _endian(big)
        vectors = vectors.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
        return EmbeddingRows(ids: ids, vectors: vectors)
    }
}
