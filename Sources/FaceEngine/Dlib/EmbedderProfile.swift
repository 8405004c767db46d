import COpenBLAS
import Common
import Dispatch

/// Where the embedder's time goes, for `scripts/bench engine`: per-convolution wall time and
/// GFLOP/s on a batch, next to the sgemm peak measured on this machine with the same thread count.
public struct EmbedderProfile: Sendable {
    /// One convolution's share.
    public struct Layer: Sendable {
        /// Layer name (`conv0`, `block3.a`, ...).
        public let name: String
        /// Seconds for the whole batch (best of the runs).
        public let seconds: Double
        /// Achieved GFLOP/s (2 flops per multiply-add).
        public let gflops: Double
    }

    /// Convolutions in forward order.
    public let layers: [Layer]
    /// Seconds for one whole forward pass of the batch (best of the runs).
    public let totalSeconds: Double
    /// All convolutions together, GFLOP/s.
    public let convolutionGFLOPS: Double
    /// `cblas_sgemm` on 1024x1024x1024 matrices, GFLOP/s.
    public let sgemmPeakGFLOPS: Double

    /// Profiles `runs` forward passes of `batch` chips (best run per layer).
    public static func measure(_ embedder: FaceEmbedder, chips: [RGBImage], runs: Int = 3) -> EmbedderProfile {
        var best = [String: (Int, Double)](), order = [String](), total = Double.infinity
        let input = embedder.inputTensor(chips)
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = embedder.forward(input) { name, macs, seconds in
                if best[name] == nil { order.append(name) }
                if seconds < best[name]?.1 ?? .infinity { best[name] = (macs, seconds) }
            }
            total = min(total, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let layers = order.compactMap { n in best[n].map { Layer(name: n, seconds: $0.1, gflops: 2 * Double($0.0) / $0.1 / 1e9) } }
        let macs = order.compactMap { best[$0]?.0 }.reduce(0, +)
        let seconds = layers.map(\.seconds).reduce(0, +)
        return EmbedderProfile(layers: layers, totalSeconds: total, convolutionGFLOPS: 2 * Double(macs) / seconds / 1e9,
                               sgemmPeakGFLOPS: sgemmPeak())
    }

    /// Best-of-5 GFLOP/s of a large square single-precision product.
    public static func sgemmPeak(size n: Int = 1024) -> Double {
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                        1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }
}
