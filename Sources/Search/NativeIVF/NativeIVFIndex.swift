import COpenBLAS
import Common
import Dispatch
import Foundation

/// facejob's own IVF, loaded for search: the segments that share one set of centroids (every
/// segment a build adds after the first inherits them) merged list by list, their vectors copied
/// out of the exact gallery into one list-ordered matrix, so each probed list is one contiguous
/// `sgemm` operand and the segments are searched as one index.
///
/// A batch of queries is searched list by list, not query by query: the coarse step is one sgemm
/// of the queries against the centroids, each query probes its `nprobe` nearest lists, and every
/// list is multiplied once against all the queries that probe it. The lists are shared out over
/// the cores; each worker keeps its own bounded heap per query, and the heaps are merged at the end.
/// Immutable after `init`; searches may run concurrently.
final class NativeIVFIndex: Sendable {
    let dimension: Int
    let listCount: Int
    private let metric: Metric
    private let centroids: [Float]
    private let centroidNorms: [Float]
    /// List `l` holds rows `offsets[l]..<offsets[l + 1]` of `vectors`, `norms` and `ids`.
    private let offsets: [Int]
    private let vectors: [Float]
    private let norms: [Float]
    private let ids: [Int64]

    /// Vectors loaded (ids of the layout that the gallery no longer holds are left out).
    var count: Int { ids.count }

    /// Loads layouts that share their centroids (the caller checks) over the searcher's prepared
    /// gallery rows; list `l` holds the ids of every layout's list `l`, in the layouts' order.
    init(layouts: [NativeIVFLayout], exact: ExactSearcher) {
        let first = layouts[0]
        let d = first.dimension
        let total = layouts.reduce(0) { $0 + $1.count }
        var offsets = [0]
        var vectors: [Float] = []
        var ids: [Int64] = []
        vectors.reserveCapacity(total * d)
        ids.reserveCapacity(total)
        exact.prepared.withUnsafeBufferPointer { x in
            for l in 0..<first.lists.count {
                for layout in layouts {
                    for id in layout.lists[l] {
                        guard let row = exact.gallery.row(of: id) else { continue }
                        vectors += UnsafeBufferPointer(rebasing: x[row * d..<(row + 1) * d])
                        ids.append(id)
                    }
                }
                offsets.append(ids.count)
            }
        }
        dimension = d
        listCount = first.lists.count
        metric = exact.metric
        centroids = first.centroids
        centroidNorms = VectorMath.squaredNorms(first.centroids, dimension: d)
        self.offsets = offsets
        self.vectors = vectors
        norms = exact.metric == .euclidean ? VectorMath.squaredNorms(vectors, dimension: d) : []
        self.ids = ids
    }

    /// Up to `k` candidate ids per prepared query (row-major `m × dimension`), from its `nprobe`
    /// nearest lists, best first by the expanded-form score; ids in `excluded` never enter.
    func candidates(_ queries: [Float], m: Int, k: Int, nprobe: Int, excluded: Set<Int64>) -> [[Int64]] {
        guard m > 0, k > 0, !ids.isEmpty else { return Array(repeating: [], count: m) }
        let probes = probedLists(queries, m: m, nprobe: min(max(1, nprobe), listCount))
        let workers = min(probes.lists.count, 4 * AvailableCores.count)
        guard workers > 0 else { return Array(repeating: [], count: m) }
        var heapScores = [Float](repeating: 0, count: workers * m * k)
        var heapRows = [Int](repeating: 0, count: workers * m * k)
        var heapCounts = [Int](repeating: 0, count: workers * m)
        heapScores.withUnsafeMutableBufferPointer { hs in
        heapRows.withUnsafeMutableBufferPointer { hr in
        heapCounts.withUnsafeMutableBufferPointer { hc in
            guard let hsBase = hs.baseAddress, let hrBase = hr.baseAddress, let hcBase = hc.baseAddress else { return }
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let share = probes.lists.count * w / workers..<probes.lists.count * (w + 1) / workers
                scan(lists: probes, share: share, queries: queries, k: k, excluded: excluded,
                     scores: hsBase + w * m * k, rows: hrBase + w * m * k, counts: hcBase + w * m)
            }
        }}}
        return merge(m: m, k: k, workers: workers, scores: heapScores, rows: heapRows, counts: heapCounts)
    }

    /// Each probed list with the queries that probe it (compressed rows: `lists[i]` is probed by
    /// `queryIndices[starts[i]..<starts[i + 1]]`).
    private struct Probes {
        var lists: [Int] = []
        var starts: [Int] = [0]
        var queryIndices: [Int] = []
    }

    private func probedLists(_ queries: [Float], m: Int, nprobe: Int) -> Probes {
        let d = dimension
        var scores = [Float](repeating: 0, count: m * listCount)
        queries.withUnsafeBufferPointer { q in
            centroids.withUnsafeBufferPointer { c in
                scores.withUnsafeMutableBufferPointer { s in
                    guard let qBase = q.baseAddress, let cBase = c.baseAddress, let sBase = s.baseAddress else { return }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(listCount), Int32(d),
                                -2, qBase, Int32(d), cBase, Int32(d), 0, sBase, Int32(listCount))
                }
            }
        }
        var byList = [[Int]](repeating: [], count: listCount)
        var heapScores = [Float](repeating: 0, count: nprobe)
        var heapRows = [Int](repeating: 0, count: nprobe)
        heapScores.withUnsafeMutableBufferPointer { hs in
            heapRows.withUnsafeMutableBufferPointer { hr in
                guard let hsBase = hs.baseAddress, let hrBase = hr.baseAddress else { return }
                for i in 0..<m {
                    var heap = BoundedMaxHeap(scores: hsBase, rows: hrBase, capacity: nprobe)
                    for l in 0..<listCount where offsets[l + 1] > offsets[l] {
                        heap.offer(score: centroidNorms[l] + scores[i * listCount + l], row: l)
                    }
                    for slot in 0..<heap.count { byList[hr[slot]].append(i) }
                }
            }
        }
        var probes = Probes()
        for (list, queryIndices) in byList.enumerated() where !queryIndices.isEmpty {
            probes.lists.append(list)
            probes.queryIndices += queryIndices
            probes.starts.append(probes.queryIndices.count)
        }
        return probes
    }

    /// One worker's share of the probed lists into its own heaps.
    private func scan(lists probes: Probes, share: Range<Int>, queries: [Float], k: Int, excluded: Set<Int64>,
                      scores: UnsafeMutablePointer<Float>, rows: UnsafeMutablePointer<Int>, counts: UnsafeMutablePointer<Int>) {
        let d = dimension
        let euclidean = metric == .euclidean
        let alpha: Float = euclidean ? -2 : -1
        let filtering = !excluded.isEmpty
        var gathered: [Float] = []
        var products: [Float] = []
        queries.withUnsafeBufferPointer { q in
        vectors.withUnsafeBufferPointer { x in
        norms.withUnsafeBufferPointer { xn in
            guard let xBase = x.baseAddress else { return }
            for p in share {
                let list = probes.lists[p]
                let first = offsets[list], n = offsets[list + 1] - first
                let asking = probes.queryIndices[probes.starts[p]..<probes.starts[p + 1]]
                gathered.removeAll(keepingCapacity: true)
                for i in asking { gathered += UnsafeBufferPointer(rebasing: q[i * d..<(i + 1) * d]) }
                if products.count < asking.count * n { products = [Float](repeating: 0, count: asking.count * n) }
                gathered.withUnsafeBufferPointer { g in
                    products.withUnsafeMutableBufferPointer { out in
                        guard let gBase = g.baseAddress, let o = out.baseAddress else { return }
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(asking.count), Int32(n), Int32(d),
                                    alpha, gBase, Int32(d), xBase + first * d, Int32(d), 0, o, Int32(n))
                        for (a, i) in asking.enumerated() {
                            var heap = BoundedMaxHeap(scores: scores + i * k, rows: rows + i * k, capacity: k, count: counts[i])
                            let line = o + a * n
                            for j in 0..<n {
                                let score = euclidean ? xn[first + j] + line[j] : line[j]
                                if heap.isFull && !(score < heap.worstScore) { continue }
                                if filtering && excluded.contains(ids[first + j]) { continue }
                                heap.offer(score: score, row: first + j)
                            }
                            counts[i] = heap.count
                        }
                    }
                }
            }
        }}}
    }

    /// The union of the workers' heaps of each query, cut to its `k` best.
    private func merge(m: Int, k: Int, workers: Int, scores: [Float], rows: [Int], counts: [Int]) -> [[Int64]] {
        (0..<m).map { i in
            var pooled: [(score: Float, row: Int)] = []
            for w in 0..<workers {
                let base = (w * m + i) * k
                for slot in 0..<counts[w * m + i] { pooled.append((scores[base + slot], rows[base + slot])) }
            }
            pooled.sort { $0.score < $1.score || ($0.score == $1.score && $0.row < $1.row) }
            return pooled.prefix(k).map { ids[$0.row] }
        }
    }
}
