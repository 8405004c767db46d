/// Parametric ReLU with one slope per channel: `x` when positive, else `alpha[c] * x`
/// (Keras `PReLU` with shared axes over rows and columns, as MTCNN uses it).
public struct PReLU: Sendable {
    /// Negative-side slope per channel.
    public let alpha: [Float]

    /// Creates the layer from one slope per channel.
    public init(alpha: [Float]) {
        self.alpha = alpha
    }

    /// Applies the activation in place.
    public func apply(_ t: inout Tensor) {
        precondition(t.c == alpha.count, "PReLU has \(alpha.count) slopes, tensor has \(t.c) channels")
        let plane = t.planeSize, channels = t.c
        t.data.withUnsafeMutableBufferPointer { buf in
            var i = 0
            for _ in 0..<t.n {
                for k in 0..<channels {
                    let a = alpha[k]
                    for j in i..<(i + plane) where buf[j] < 0 { buf[j] *= a }
                    i += plane
                }
            }
        }
    }

    /// Returns the activated tensor.
    public func forward(_ input: Tensor) -> Tensor {
        var t = input
        apply(&t)
        return t
    }
}
