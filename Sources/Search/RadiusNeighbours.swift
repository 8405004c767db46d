import COpenBLAS
import Foundation

/// Every pair of rows closer than a radius (euclidean), for grouping faces: blocked sgemm finds the
/// candidates through ‖a‖² + ‖b‖² − 2a·b with a little slack, and each candidate's distance is then
/// recomputed directly in Double, so which pairs are in does not depend on BLAS's summation order
/// or thread count.
public enum RadiusNeighbours {
    /// A neighbour of a row: the other row and their distance.
    public struct Neighbour: Sendable, Equatable {
        /// The other row.
        public var row: Int
        /// Their euclidean distance.
        public var distance: Float
    }

    /// Rows per sgemm block, on both sides: 2048 × 2048 × 4 bytes = 16 MiB of scores.
    static let block = 2048

    /// For each row of `vectors` (row-major, `dimension` wide), the other rows within `radius`,
    /// ascending by row; with `limit`, only the `limit` nearest of them (by distance, then row), so
    /// memory stays bounded when many rows crowd together. Without a limit the lists are symmetric:
    /// j is listed under i exactly when i is listed under j. Pairs of two rows below `settled` are
    /// not looked for (rows whose links are already known).
    public static func within(_ vectors: [Float], dimension d: Int, radius: Float, settled: Int = 0,
                              limit: Int? = nil) -> [[Neighbour]] {
        precondition(d > 0 && vectors.count % d == 0, "vectors must be whole rows")
        let n = vectors.count / d
        guard n > 1, radius >= 0 else { return Array(repeating: [], count: n) }
        let norms = VectorMath.squaredNorms(vectors, dimension: d)
        // Float sgemm loses about 1e-6 of ‖a‖² + ‖b‖² in cancellation; the slack keeps every true
        // pair among the candidates, and the exact recomputation drops the extra ones.
        let maxNorm = norms.max() ?? 0
        let slack = 1e-4 * Double(maxNorm) + 1e-6
        let cut = Float(Double(radius) * Double(radius) + slack)
        let blocks = (n + block - 1) / block
        // Upper-triangle block pairs (a ≤ b), so each pair is examined once.
        var tiles: [(Int, Int)] = []
        for a in 0..<blocks {
            for b in a..<blocks where (b + 1) * block > settled { tiles.append((a, b)) }
        }
        let lists = NeighbourLists(rows: n, blocks: blocks, limit: limit)
        vectors.withUnsafeBufferPointer { vp in
            norms.withUnsafeBufferPointer { np in
                guard let base = vp.baseAddress, let nb = np.baseAddress else { return }
                DispatchQueue.concurrentPerform(iterations: tiles.count) { t in
                    let (a, b) = tiles[t]
                    let a0 = a * block, b0 = b * block
                    let na = min(block, n - a0), nbRows = min(block, n - b0)
                    var scores = [Float](repeating: 0, count: na * nbRows)
                    var pairs: [(Int, Int, Float)] = []
                    scores.withUnsafeMutableBufferPointer { sp in
                        guard let s = sp.baseAddress else { return }
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(na), Int32(nbRows), Int32(d),
                                    -2, base + a0 * d, Int32(d), base + b0 * d, Int32(d), 0, s, Int32(nbRows))
                        for i in 0..<na {
                            let gi = a0 + i
                            let line = s + i * nbRows
                            // Upper triangle only, and no pair of two settled rows.
                            let start = max(a == b ? i + 1 : 0, gi < settled ? settled - b0 : 0)
                            guard start < nbRows else { continue }
                            for j in start..<nbRows where nb[gi] + nb[b0 + j] + line[j] <= cut {
                                let gj = b0 + j
                                let exact = distance(base + gi * d, base + gj * d, d)
                                if exact <= radius { pairs.append((gi, gj, exact)) }
                            }
                        }
                    }
                    lists.add(pairs, rowsBlock: a, columnsBlock: b)
                }
            }
        }
        return lists.sorted()
    }

    /// The distance between two rows, accumulated in Double in index order.
    static func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
        var sum = 0.0
        for k in 0..<d {
            let t = Double(a[k]) - Double(b[k])
            sum += t * t
        }
        return Float(sum.squareRoot())
    }
}

/// Neighbour lists filled by concurrent tiles: one lock per block of rows, and with a limit
/// each row keeps only its nearest neighbours (by distance, then row: the same set whatever order
/// the tiles finish in).
private final class NeighbourLists: @unchecked Sendable {
    private var lists: [[RadiusNeighbours.Neighbour]]
    private let locks: [NSLock]
    private let limit: Int?

    init(rows: Int, blocks: Int, limit: Int?) {
        lists = Array(repeating: [], count: rows)
        locks = (0..<blocks).map { _ in NSLock() }
        self.limit = limit.map { max(1, $0) }
    }

    /// Pairs (i in block `rowsBlock`, j in block `columnsBlock`, distance), listed under both rows.
    func add(_ pairs: [(Int, Int, Float)], rowsBlock a: Int, columnsBlock b: Int) {
        locks[a].lock()
        for (i, j, d) in pairs { offer(RadiusNeighbours.Neighbour(row: j, distance: d), to: i) }
        locks[a].unlock()
        locks[b].lock()
        for (i, j, d) in pairs { offer(RadiusNeighbours.Neighbour(row: i, distance: d), to: j) }
        locks[b].unlock()
    }

    private func offer(_ candidate: RadiusNeighbours.Neighbour, to row: Int) {
        guard let limit, lists[row].count >= limit else {
            lists[row].append(candidate)
            return
        }
        // Full: replace the worst if the candidate is nearer.
        var worst = 0
        for k in 1..<lists[row].count where Self.before(lists[row][worst], lists[row][k]) { worst = k }
        if Self.before(candidate, lists[row][worst]) { lists[row][worst] = candidate }
    }

    /// Nearer first; equal distances by row.
    private static func before(_ x: RadiusNeighbours.Neighbour, _ y: RadiusNeighbours.Neighbour) -> Bool {
        x.distance < y.distance || (x.distance == y.distance && x.row < y.row)
    }

    func sorted() -> [[RadiusNeighbours.Neighbour]] {
        lists.map { $0.count > 1 ? $0.sorted { $0.row < $1.row } : $0 }
    }
}
