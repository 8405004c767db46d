/// Scales each sample to unit euclidean norm over all its values; an all-zero sample stays zero.
public struct L2Normalize: Sendable {
    /// Creates the layer.
    public init() {}

    /// Returns the normalised tensor.
    public func forward(_ input: Tensor) -> Tensor {
        var output = input
        let size = input.sampleSize
        output.data.withUnsafeMutableBufferPointer { buf in
            for i in 0..<input.n {
                var s: Double = 0
                for j in (i * size)..<((i + 1) * size) { s += Double(buf[j]) * Double(buf[j]) }
                guard s > 0 else { continue }
                let inv = Float(1 / s.squareRoot())
                for j in (i * size)..<((i + 1) * size) { buf[j] *= inv }
            }
        }
        return output
    }
}
