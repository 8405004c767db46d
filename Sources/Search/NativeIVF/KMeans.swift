import COpenBLAS
import Foundation

/// Lloyd's k-means for the coarse quantizer of facejob's own IVF, with every distance computed by
/// blocked `sgemm` (‖c‖² − 2x·c orders the centroids of one row). Deterministic: the starting
/// centroids are rows at a fixed stride, the sums are accumulated in Double in row order, and an
/// empty cluster takes the row farthest from its centroid in the largest cluster.
enum KMeans {
    /// Rows per sgemm block of an assignment.
    static let block = 4096

    /// `k` centroids (row-major, `k × d`) trained on `n` rows of `x` for `iterations` rounds.
    static func train(_ x: UnsafeBufferPointer<Float>, n: Int, d: Int, k: Int, iterations: Int) -> [Float] {
        precondition(n >= k && k > 0, "k-means needs at least k rows")
        var centroids = [Float](repeating: 0, count: k * d)
        for c in 0..<k {
            let row = c * n / k
            for j in 0..<d { centroids[c * d + j] = x[row * d + j] }
        }
        var assignment = [Int32](repeating: 0, count: n)
        var distance = [Float](repeating: 0, count: n)
        for _ in 0..<iterations {
            assign(x, n: n, d: d, centroids: centroids, k: k, into: &assignment, distances: &distance)
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                let c = Int(assignment[i])
                counts[c] += 1
                for j in 0..<d { sums[c * d + j] += Double(x[i * d + j]) }
            }
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d { centroids[c * d + j] = Float(sums[c * d + j] / Double(counts[c])) }
            }
            reseedEmpty(x, d: d, k: k, counts: counts, assignment: assignment, distance: distance, centroids: &centroids)
        }
        return centroids
    }

    /// The nearest centroid of each of `n` rows.
    static func assign(_ x: UnsafeBufferPointer<Float>, n: Int, d: Int, centroids: [Float], k: Int) -> [Int32] {
        var assignment = [Int32](repeating: 0, count: n)
        var distance = [Float](repeating: 0, count: n)
        assign(x, n: n, d: d, centroids: centroids, k: k, into: &assignment, distances: &distance)
        return assignment
    }

    /// Nearest centroid and its score (‖c‖² − 2x·c, the squared distance less ‖x‖²) of each row.
    static func assign(_ x: UnsafeBufferPointer<Float>, n: Int, d: Int, centroids: [Float], k: Int,
                       into assignment: inout [Int32], distances: inout [Float]) {
        guard n > 0, let xBase = x.baseAddress else { return }
        let norms = VectorMath.squaredNorms(centroids, dimension: d)
        let rowsPerBlock = min(n, block)
        var scores = [Float](repeating: 0, count: rowsPerBlock * k)
        centroids.withUnsafeBufferPointer { cp in
        norms.withUnsafeBufferPointer { np in
        scores.withUnsafeMutableBufferPointer { sp in
        assignment.withUnsafeMutableBufferPointer { ap in
        distances.withUnsafeMutableBufferPointer { dp in
            guard let cBase = cp.baseAddress, let s = sp.baseAddress else { return }
            for r0 in stride(from: 0, to: n, by: rowsPerBlock) {
                let rows = min(rowsPerBlock, n - r0)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(k), Int32(d),
                            -2, xBase + r0 * d, Int32(d), cBase, Int32(d), 0, s, Int32(k))
                VectorMath.parallelChunks(rows, minimumPerChunk: 256) { range in
                    for i in range {
                        let line = s + i * k
                        var best = 0
                        var bestScore = np[0] + line[0]
                        for c in 1..<k where np[c] + line[c] < bestScore {
                            best = c
                            bestScore = np[c] + line[c]
                        }
                        ap[r0 + i] = Int32(best)
                        dp[r0 + i] = bestScore
                    }
                }
            }
        }}}}}
    }

    /// Gives every empty cluster the worst-placed row of the currently largest cluster.
    private static func reseedEmpty(_ x: UnsafeBufferPointer<Float>, d: Int, k: Int, counts: [Int],
                                    assignment: [Int32], distance: [Float], centroids: inout [Float]) {
        var counts = counts
        var taken = Set<Int>()
        for empty in 0..<k where counts[empty] == 0 {
            guard let largest = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[largest] > 1 else { return }
            var far = -1
            for i in assignment.indices where Int(assignment[i]) == largest && !taken.contains(i) {
                if far < 0 || distance[i] > distance[far] { far = i }
            }
            guard far >= 0 else { return }
            taken.insert(far)
            for j in 0..<d { centroids[empty * d + j] = x[far * d + j] }
            counts[largest] -= 1
            counts[empty] = 1
        }
    }
}
