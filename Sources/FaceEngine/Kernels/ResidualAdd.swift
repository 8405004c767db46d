/// dlib's residual join (`add_prev`): the result has the larger of each dimension of the two
/// inputs, and every element is the sum of the inputs' elements at that index, an input
/// contributing zero where it has no such element. This is how dlib's ResNet adds an average-pooled
/// shortcut to a block output with more channels or a different size.
public struct ResidualAdd: Sendable {
    /// Creates the layer.
    public init() {}

    /// Adds `a` and `b` over their overlap, zero-extending each to the common shape.
    public func forward(_ a: Tensor, _ b: Tensor) -> Tensor {
        if a.n == b.n && a.c == b.c && a.h == b.h && a.w == b.w {
            var out = a
            out.data.withUnsafeMutableBufferPointer { d in
                b.data.withUnsafeBufferPointer { s in
                    for i in d.indices { d[i] += s[i] }
                }
            }
            return out
        }
        var out = Tensor(n: max(a.n, b.n), c: max(a.c, b.c), h: max(a.h, b.h), w: max(a.w, b.w))
        accumulate(a, into: &out)
        accumulate(b, into: &out)
        return out
    }

    private func accumulate(_ t: Tensor, into out: inout Tensor) {
        guard t.count > 0 else { return }
        out.data.withUnsafeMutableBufferPointer { d in
            t.data.withUnsafeBufferPointer { s in
                for i in 0..<t.n {
                    for k in 0..<t.c {
                        for y in 0..<t.h {
                            let src = ((i * t.c + k) * t.h + y) * t.w
                            let dst = ((i * out.c + k) * out.h + y) * out.w
                            for x in 0..<t.w { d[dst + x] += s[src + x] }
                        }
                    }
                }
            }
        }
    }
}
