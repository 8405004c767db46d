import COpenBLAS
import Common
import Dispatch
import Foundation

/// Brute-force search of a gallery held in memory: queries are batched into one sgemm per block
/// of gallery rows, each query keeps a bounded heap of its best rows (no full sort), and the k
/// survivors get their distance recomputed directly so the reported numbers do not carry the
/// cancellation error of ‖q‖² + ‖x‖² − 2q·x.
public struct ExactSearcher: Sendable {
    /// The metric of every distance this searcher reports.
    public let metric: Metric
    /// The gallery as given.
    public let gallery: EmbeddingMatrix
    /// Gallery rows as searched: unit-normalised for cosine, unchanged for euclidean.
    let prepared: [Float]
    /// ‖x‖² of each prepared row (euclidean only).
    let squaredNorms: [Float]

    /// Gallery rows per sgemm block: 4096 × 1024 queries × 4 bytes = 16 MiB of scores.
    static let galleryBlock = 4096
    /// Queries per sgemm block.
    static let queryBlock = 1024

    /// Prepares a gallery for search (normalises it for cosine).
    public init(gallery: EmbeddingMatrix, metric: Metric) {
        self.metric = metric
        self.gallery = gallery
        switch metric {
        case .cosine:
            prepared = VectorMath.normalisedRows(gallery.vectors, dimension: gallery.dimension)
            squaredNorms = []
        case .euclidean:
            prepared = gallery.vectors
            squaredNorms = VectorMath.squaredNorms(gallery.vectors, dimension: gallery.dimension)
        }
    }

    /// Vector dimension.
    public var dimension: Int { gallery.dimension }

    /// The `k` nearest gallery embeddings of each row-major query, best first, ties broken by the
    /// smaller id, skipping `excluded` ids (tombstones). Fewer than `k` when the gallery is smaller.
    public func search(_ queries: [Float], k: Int, excluding excluded: Set<Int64> = []) throws -> [[SearchHit]] {
        guard k > 0 else { throw SearchError.invalidCount(name: "k", value: k) }
        guard queries.count % dimension == 0 else {
            throw SearchError.dimensionMismatch(expected: dimension, got: queries.count % dimension)
        }
        let m = queries.count / dimension
        let n = gallery.count
        guard m > 0 else { return [] }
        guard n > 0 else { return Array(repeating: [], count: m) }
        let q = prepareQueries(queries)
        let capacity = min(k, n)
        var heapScores = [Float](repeating: 0, count: m * capacity)
        var heapRows = [Int](repeating: 0, count: m * capacity)
        var heapCounts = [Int](repeating: 0, count: m)
        selectCandidates(q, m: m, capacity: capacity, excluded: excluded,
                         heapScores: &heapScores, heapRows: &heapRows, heapCounts: &heapCounts)
        var results = [[SearchHit]](repeating: [], count: m)
        q.withUnsafeBufferPointer { qp in
            heapRows.withUnsafeBufferPointer { rows in
                results.withUnsafeMutableBufferPointer { out in
                    let d = dimension
                    VectorMath.parallelChunks(m) { range in
                        for i in range {
                            let survivors = Array(rows[i * capacity..<i * capacity + heapCounts[i]])
                            out[i] = rank(rows: survivors, query: UnsafeBufferPointer(rebasing: qp[i * d..<(i + 1) * d]), k: k)
                        }
                    }
                }
            }
        }
        return results
    }

    /// Queries as the gallery is stored: unit-normalised for cosine.
    func prepareQueries(_ queries: [Float]) -> [Float] {
        metric == .cosine ? VectorMath.normalisedRows(queries, dimension: dimension) : queries
    }

    /// Exact distance between a prepared query and a gallery row, accumulated in Double.
    func distance(query: UnsafeBufferPointer<Float>, row: Int) -> Float {
        prepared.withUnsafeBufferPointer { x in
            let offset = row * dimension
            switch metric {
            case .euclidean:
                var sum = 0.0
                for j in 0..<dimension { let t = Double(query[j]) - Double(x[offset + j]); sum += t * t }
                return Float(sum.squareRoot())
            case .cosine:
                var dot = 0.0
                for j in 0..<dimension { dot += Double(query[j]) * Double(x[offset + j]) }
                return Float(min(2, max(0, 1 - dot)))
            }
        }
    }

    /// Exact distances of the given rows to a prepared query, best `k`, ranked (ties by id).
    func rank(rows: [Int], query: UnsafeBufferPointer<Float>, k: Int) -> [SearchHit] {
        var scored: [(id: Int64, distance: Float)] = []
        scored.reserveCapacity(rows.count)
        for row in rows { scored.append((gallery.ids[row], distance(query: query, row: row))) }
        scored.sort { a, b in a.distance < b.distance || (a.distance == b.distance && a.id < b.id) }
        var hits: [SearchHit] = []
        hits.reserveCapacity(min(k, scored.count))
        for (offset, entry) in scored.prefix(k).enumerated() {
            hits.append(SearchHit(id: entry.id, distance: entry.distance, rank: offset + 1))
        }
        return hits
    }

    /// Blocked sgemm plus per-query heaps. Scores are monotone in the true distance:
    /// ‖x‖² − 2q·x for euclidean (‖q‖² is the same for every row) and −q·x for cosine.
    private func selectCandidates(_ q: [Float], m: Int, capacity: Int, excluded: Set<Int64>,
                                  heapScores: inout [Float], heapRows: inout [Int], heapCounts: inout [Int]) {
        let d = dimension, n = gallery.count
        let qBlock = min(m, Self.queryBlock), gBlock = min(n, Self.galleryBlock)
        var scratch = [Float](repeating: 0, count: qBlock * gBlock)
        let alpha: Float = metric == .euclidean ? -2 : -1
        let euclidean = metric == .euclidean
        let ids = gallery.ids
        let filtering = !excluded.isEmpty
        q.withUnsafeBufferPointer { qp in
        prepared.withUnsafeBufferPointer { xp in
        squaredNorms.withUnsafeBufferPointer { norms in
        scratch.withUnsafeMutableBufferPointer { cp in
        heapScores.withUnsafeMutableBufferPointer { hs in
        heapRows.withUnsafeMutableBufferPointer { hr in
        heapCounts.withUnsafeMutableBufferPointer { hc in
            guard let qBase = qp.baseAddress, let xBase = xp.baseAddress, let c = cp.baseAddress,
                  let hsBase = hs.baseAddress, let hrBase = hr.baseAddress else { return }
            for q0 in stride(from: 0, to: m, by: qBlock) {
                let mq = min(qBlock, m - q0)
                for g0 in stride(from: 0, to: n, by: gBlock) {
                    let ng = min(gBlock, n - g0)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(mq), Int32(ng), Int32(d),
                                alpha, qBase + q0 * d, Int32(d), xBase + g0 * d, Int32(d),
                                0, c, Int32(ng))
                    VectorMath.parallelChunks(mq) { range in
                        for i in range {
                            let qi = q0 + i
                            var heap = BoundedMaxHeap(scores: hsBase + qi * capacity,
                                                      rows: hrBase + qi * capacity,
                                                      capacity: capacity, count: hc[qi])
                            let line = c + i * ng
                            // Sixteen scores at a time against the worst kept: once the heap is
                            // full almost no row enters it, and a block none of whose scores beats
                            // the worst is passed in a few vector instructions. The others take the
                            // row-by-row path in order, so the heap ends as that path alone leaves it.
                            var j = 0
                            let normRow = euclidean ? norms.baseAddress.map { $0 + g0 } : nil
                            while j + 16 <= ng, !euclidean || normRow != nil {
                                if heap.isFull {
                                    // A plain loop the compiler vectorises (SIMD16's comparisons
                                    // compiled to calls into the generic standard library).
                                    let worst = heap.worstScore
                                    var below: UInt32 = 0
                                    if let normRow {
                                        let n = normRow + j, l = line + j
                                        for r in 0..<16 { below |= n[r] + l[r] < worst ? 1 : 0 }
                                    } else {
                                        let l = line + j
                                        for r in 0..<16 { below |= l[r] < worst ? 1 : 0 }
                                    }
                                    if below == 0 {
                                        j += 16
                                        continue
                                    }
                                }
                                for r in j..<(j + 16) {
                                    offer(r)
                                }
                                j += 16
                            }
                            while j < ng {
                                offer(j)
                                j += 1
                            }
                            @inline(__always) func offer(_ j: Int) {
                                let score = euclidean ? norms[g0 + j] + line[j] : line[j]
                                // Rows arrive in ascending order, so an equal score never displaces.
                                if heap.isFull && !(score < heap.worstScore) { return }
                                if filtering && excluded.contains(ids[g0 + j]) { return }
                                heap.offer(score: score, row: g0 + j)
                            }
                            hc[qi] = heap.count
                        }
                    }
                }
            }
        }}}}}}}
    }
}
