import COpenBLAS

/// An MTCNN fully connected layer with optional PReLU, on per-sample rows (`[n][inputs]` to
/// `[n][outputs]`). The product has the shape and argument order of the shared `Dense` (bias
/// prefilled, `beta = 1`), so its sums round the same way.
struct MTCNNDenseLayer: Sendable {
    let outputs: Int
    let inputs: Int
    /// `[out][in]`.
    let weights: [Float]
    let bias: [Float]
    /// PReLU slopes per output, or nil for the heads.
    let alpha: [Float]?

    init(_ dense: Dense, prelu: PReLU?) {
        precondition(prelu.map { $0.alpha.count == dense.outputs } ?? true, "PReLU slope count")
        outputs = dense.outputs
        inputs = dense.inputs
        weights = dense.weights
        bias = dense.bias
        alpha = prelu?.alpha
    }

    /// `y = W x + b` (then PReLU) for `n` rows of `x`.
    func forward(_ x: UnsafePointer<Float>, n: Int, into y: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        bias.withUnsafeBufferPointer { b in
            for i in 0..<n { (y + i * outputs).update(from: b.base, count: outputs) }
        }
        weights.withUnsafeBufferPointer { w in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(outputs), Int32(inputs),
                        1, x, Int32(inputs), w.base, Int32(inputs), 1, y, Int32(outputs))
        }
        guard let alpha else { return }
        alpha.withUnsafeBufferPointer { a in
            for i in 0..<n {
                let row = y + i * outputs
                for o in 0..<outputs where row[o] < 0 { row[o] *= a[o] }
            }
        }
    }
}
