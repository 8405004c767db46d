import COpenBLAS

/// Fully connected layer over each sample's flattened values (NCHW order), `y = W x + b`,
/// one `cblas_sgemm` for the whole batch. Output shape `n x outputs x 1 x 1`.
public struct Dense: Sendable {
    /// Output features.
    public let outputs: Int
    /// Input features (`c * h * w` of the input).
    public let inputs: Int
    /// Weights laid out `[out][in]`.
    public let weights: [Float]
    /// One bias per output; zeros for dlib's `fc_no_bias`.
    public let bias: [Float]

    /// Creates the layer; `bias` defaults to zeros.
    public init(weights: [Float], bias: [Float]? = nil, outputs: Int, inputs: Int) {
        precondition(outputs > 0 && inputs > 0, "dense dimensions must be positive")
        precondition(weights.count == outputs * inputs, "dense weight count mismatch")
        precondition(bias == nil || bias?.count == outputs, "dense bias count mismatch")
        self.outputs = outputs
        self.inputs = inputs
        self.weights = weights
        self.bias = bias ?? [Float](repeating: 0, count: outputs)
    }

    /// Applies the layer to every sample. With `eachSampleAlone`, one sgemm per sample: OpenBLAS
    /// picks its micro-kernels by the matrix shape, and some CPUs' kernels (Haswell's on AMD Zen 4,
    /// for one) sum a row of 4 or more samples in another order than a row of 1 to 3, so a
    /// sample's result would depend on how many samples share its call.
    public func forward(_ input: Tensor, eachSampleAlone: Bool = false) -> Tensor {
        precondition(input.sampleSize == inputs, "dense expects \(inputs) inputs per sample, got \(input.sampleSize)")
        var output = Tensor(n: input.n, c: outputs, h: 1, w: 1)
        guard input.n > 0 else { return output }
        for i in 0..<input.n {
            for o in 0..<outputs { output.data[i * outputs + o] = bias[o] }
        }
        input.data.withUnsafeBufferPointer { src in
            weights.withUnsafeBufferPointer { wts in
                output.data.withUnsafeMutableBufferPointer { dst in
                    let calls = eachSampleAlone ? input.n : 1
                    let rows = input.n / calls
                    for call in 0..<calls {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                                    Int32(rows), Int32(outputs), Int32(inputs),
                                    1, src.base + call * rows * inputs, Int32(inputs), wts.base, Int32(inputs),
                                    1, dst.base + call * rows * outputs, Int32(outputs))
                    }
                }
            }
        }
        return output
    }
}
