/// Average pooling over `kernelH x kernelW` windows; the mean is over the window's positions
/// inside the input (dlib's `mean(subm_clipped(...))`, TensorFlow's `"same"` average pool).
public struct AvgPool2D: Sendable {
    /// Window size, strides and border convention.
    public let window: PoolWindow

    /// Creates the layer.
    public init(kernelH: Int, kernelW: Int, strideY: Int, strideX: Int, padding: SpatialPadding = .valid) {
        window = PoolWindow(kernelH: kernelH, kernelW: kernelW, strideY: strideY, strideX: strideX, padding: padding)
    }

    /// Output rows and columns for an input size.
    public func outputSize(h: Int, w: Int) -> (h: Int, w: Int) { window.outputSize(h: h, w: w) }

    /// Pools every channel of every sample.
    public func forward(_ input: Tensor) -> Tensor {
        window.run(input) { plane, width, rows, cols in
            guard !rows.isEmpty, !cols.isEmpty else { return 0 }
            var s: Float = 0
            for y in rows {
                let row = plane + y * width
                for x in cols { s += row[x] }
            }
            return s / Float(rows.count * cols.count)
        }
    }
}
