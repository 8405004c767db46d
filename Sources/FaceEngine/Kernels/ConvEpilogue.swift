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
        if let residual, channel < residualChannels {
            let r = residual + (sample * residualChannels + channel) * plane + offset
            if relu {
                for i in 0..<count { p[i] = max(p[i] + r[i], 0) }
            } else {
                for i in 0..<count { p[i] += r[i] }
            }
        } else if relu {
            for i in 0..<count { p[i] = p[i] < 0 ? 0 : p[i] }
        }
    }
}
