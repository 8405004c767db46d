/// Rectified linear unit, `max(x, 0)`, element-wise.
public struct ReLU: Sendable {
    /// Creates the layer.
    public init() {}

    /// Applies the activation in place.
    public func apply(_ t: inout Tensor) {
        t.data.withUnsafeMutableBufferPointer { buf in
            for i in buf.indices where buf[i] < 0 { buf[i] = 0 }
        }
    }

    /// Returns the activated tensor.
    public func forward(_ input: Tensor) -> Tensor {
        var t = input
        apply(&t)
        return t
    }
}
