/// Mean of each channel plane, giving an `n x c x 1 x 1` tensor (dlib's `avg_pool_everything`).
public struct GlobalAvgPool: Sendable {
    /// Creates the layer.
    public init() {}

    /// Averages every channel of every sample.
    public func forward(_ input: Tensor) -> Tensor {
        var output = Tensor(n: input.n, c: input.c, h: 1, w: 1)
        let plane = input.planeSize
        guard plane > 0 else { return output }
        input.data.withUnsafeBufferPointer { src in
            for p in 0..<(input.n * input.c) {
                var s: Float = 0
                for i in (p * plane)..<((p + 1) * plane) { s += src[i] }
                output.data[p] = s / Float(plane)
            }
        }
        return output
    }
}
