import Common
import Dispatch
import Foundation

/// Small numeric helpers shared by the exact searcher, the segment builder and re-ranking.
enum VectorMath {
    /// Rows scaled to unit length; zero rows stay zero (their cosine distance to anything is 1).
    static func normalisedRows(_ vectors: [Float], dimension d: Int) -> [Float] {
        var out = vectors
        let n = vectors.count / d
        out.withUnsafeMutableBufferPointer { p in
            for r in 0..<n {
                let row = r * d
                var sum = 0.0
                for j in 0..<d { sum += Double(p[row + j]) * Double(p[row + j]) }
                guard sum > 0 else { continue }
                let scale = Float(1 / sum.squareRoot())
                for j in 0..<d { p[row + j] *= scale }
            }
        }
        return out
    }

    /// ‖x‖² of each row.
    static func squaredNorms(_ vectors: [Float], dimension d: Int) -> [Float] {
        let n = vectors.count / d
        return vectors.withUnsafeBufferPointer { p in
            (0..<n).map { r in
                let row = r * d
                var sum: Float = 0
                for j in 0..<d { sum += p[row + j] * p[row + j] }
                return sum
            }
        }
    }

    /// Runs `body` over `count` items split into one contiguous chunk per core; small counts run inline.
    static func parallelChunks(_ count: Int, minimumPerChunk: Int = 16, _ body: (Range<Int>) -> Void) {
        let workers = min(AvailableCores.count, max(1, count / minimumPerChunk))
        guard workers > 1 else { body(0..<count); return }
        let per = (count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let start = w * per
            let end = min(count, start + per)
            if start < end { body(start..<end) }
        }
    }
}
