/// What a convolution does to its finished output rows after the bias, while they are still in
/// cache: dlib's residual join (`add_prev`, the shortcut contributing to its own channels only)
/// and ReLU. Saves the separate passes over the whole output.
struct ConvEpilogue {
    /// Shortcut values, NCHW with the output's n, h and w; nil when there is none.
    let residual: UnsafePointer<Float>?
    /// Channels of the shortcut (at most the output's).
    let residualChannels: Int
    /// Values per output plane (`h * w`).
    let plane: Int
    /// Whether to clamp at zero after the addition.
    let relu: Bool

    /// No residual, no activation.
    static let none = ConvEpilogue(residual: nil, residualChannels: 0, plane: 0, relu: false)

    /// Whether `apply` changes anything.
    var isIdentity: Bool { residual == nil && !relu }

    /// Finishes `count` values of plane (`sample`, `channel`) starting `offset` values into it.
    @inline(__always)
    func apply(_ p: UnsafeMutablePointer<Float>, count: Int, sample: Int, channel: Int, offset: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var i = 0
        if let residual, channel < residualChannels {
            let r = residual + (sample * residualChannels + channel) * plane + offset
            if relu {
                while i + 8 <= count {
                    let v = load8(p + i) + load8(r + i)
                    store8(v.replacing(with: zero, where: .!(v .>= zero)), p + i)
                    i += 8
                }
                while i < count { p[i] = max(p[i] + r[i], 0); i += 1 }
            } else {
                while i + 8 <= count { store8(load8(p + i) + load8(r + i), p + i); i += 8 }
                while i < count { p[i] += r[i]; i += 1 }
            }
        } else if relu {
            while i + 8 <= count {
                let v = load8(p + i)
                store8(v.replacing(with: zero, where: v .< zero), p + i)
                i += 8
            }
            while i < count { p[i] = p[i] < 0 ? 0 : p[i]; i += 1 }
        }
    }
}
