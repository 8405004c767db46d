import Common
import Foundation
import TestSupport
@testable import Search

enum TestVectors {
    /// `n × d` gaussian vectors.
    static func random(_ n: Int, _ d: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<(n * d)).map { _ in rng.gaussian() }
    }

    /// A gallery with ids 1000, 1003, 1006, ... (gaps, so ids and rows differ).
    static func gallery(_ n: Int, _ d: Int, seed: UInt64) throws -> EmbeddingMatrix {
        try EmbeddingMatrix(dimension: d, ids: (0..<n).map { 1000 + 3 * Int64($0) }, vectors: random(n, d, seed: seed))
    }

    /// Brute force with a plain loop: the reference every searcher is checked against.
    static func naive(_ gallery: EmbeddingMatrix, query: [Float], k: Int, metric: Metric,
                      excluding excluded: Set<Int64> = []) -> [(id: Int64, distance: Float)] {
        let d = gallery.dimension
        var all: [(id: Int64, distance: Float)] = []
        for row in 0..<gallery.count where !excluded.contains(gallery.ids[row]) {
            all.append((gallery.ids[row], metric.distance(query, Array(gallery.vectors[row * d..<(row + 1) * d]))))
        }
        all.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.id < $1.id) }
        return Array(all.prefix(k))
    }

    /// Fraction of the reference's top-k ids found in the answer's top-k, averaged over queries.
    static func recall(_ answer: [[Int64]], _ reference: [[Int64]]) -> Double {
        var found = 0, total = 0
        for (a, r) in zip(answer, reference) {
            found += Set(a).intersection(r).count
            total += r.count
        }
        return total == 0 ? 1 : Double(found) / Double(total)
    }
}
