/// Per-channel `scale[c] * x + shift[c]`: dlib's `affine_` layer and an inference-mode batch norm
/// (scale = gamma / sqrt(var + eps), shift = beta - mean * scale). When it directly follows a
/// convolution, `folded(into:)` merges it into the convolution's weights instead.
public struct Affine: Sendable {
    /// Multiplier per channel.
    public let scale: [Float]
    /// Offset per channel.
    public let shift: [Float]

    /// Creates the layer; both arrays have one value per channel.
    public init(scale: [Float], shift: [Float]) {
        precondition(scale.count == shift.count, "affine scale and shift differ in length")
        self.scale = scale
        self.shift = shift
    }

    /// Applies the transform in place.
    public func apply(_ t: inout Tensor) {
        precondition(t.c == scale.count, "affine has \(scale.count) channels, tensor has \(t.c)")
        let plane = t.planeSize, channels = t.c
        t.data.withUnsafeMutableBufferPointer { buf in
            var i = 0
            for _ in 0..<t.n {
                for k in 0..<channels {
                    let a = scale[k], b = shift[k]
                    for j in i..<(i + plane) { buf[j] = buf[j] * a + b }
                    i += plane
                }
            }
        }
    }

    /// Returns the transformed tensor.
    public func forward(_ input: Tensor) -> Tensor {
        var t = input
        apply(&t)
        return t
    }

    /// The convolution followed by this transform, as one convolution. Exact up to float
    /// rounding because both are linear per output channel.
    public func folded(into conv: Conv2D) -> Conv2D {
        precondition(conv.outChannels == scale.count, "affine channels do not match the convolution")
        let per = conv.inChannels * conv.kernelH * conv.kernelW
        var w = conv.weights
        var b = conv.bias
        for oc in 0..<conv.outChannels {
            for i in (oc * per)..<((oc + 1) * per) { w[i] *= scale[oc] }
            b[oc] = b[oc] * scale[oc] + shift[oc]
        }
        return Conv2D(weights: w, bias: b, outChannels: conv.outChannels, inChannels: conv.inChannels,
                      kernelH: conv.kernelH, kernelW: conv.kernelW, strideY: conv.strideY,
                      strideX: conv.strideX, padding: conv.padding)
    }
}
