import Foundation

/// Softmax across channels at every (sample, row, column), as MTCNN's classifiers use it.
public struct Softmax: Sendable {
    /// Creates the layer.
    public init() {}

    /// Returns probabilities; the channels at each position sum to one.
    public func forward(_ input: Tensor) -> Tensor {
        var output = input
        let plane = input.planeSize, channels = input.c
        guard channels > 0 else { return output }
        output.data.withUnsafeMutableBufferPointer { buf in
            for i in 0..<input.n {
                let base = i * channels * plane
                for p in 0..<plane {
                    var m = -Float.infinity
                    for k in 0..<channels { m = max(m, buf[base + k * plane + p]) }
                    var s: Float = 0
                    for k in 0..<channels {
                        let e = expf(buf[base + k * plane + p] - m)
                        buf[base + k * plane + p] = e
                        s += e
                    }
                    for k in 0..<channels { buf[base + k * plane + p] /= s }
                }
            }
        }
        return output
    }
}
