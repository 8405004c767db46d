import Foundation
@testable import Search

/// Seeded generator (SplitMix64) so every failure reproduces.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Standard normal sample (Box–Muller).
    mutating func gaussian() -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }
}

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
