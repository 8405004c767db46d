/// Max pooling over `kernelH x kernelW` windows; padded positions never win.
public struct MaxPool2D: Sendable {
    /// Window rows.
    public let kernelH: Int
    /// Window columns.
    public let kernelW: Int
    /// Vertical stride.
    public let strideY: Int
    /// Horizontal stride.
    public let strideX: Int
    /// Border convention (`.valid`/`.same` for Keras, `.symmetric` for dlib, `.ceil` for Caffe).
    public let padding: SpatialPadding

    /// Creates the layer.
    public init(kernelH: Int, kernelW: Int, strideY: Int, strideX: Int, padding: SpatialPadding = .valid) {
        precondition(kernelH > 0 && kernelW > 0 && strideY > 0 && strideX > 0, "pooling dimensions must be positive")
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.strideY = strideY
        self.strideX = strideX
        self.padding = padding
    }

    /// Output rows and columns for an input size.
    public func outputSize(h: Int, w: Int) -> (h: Int, w: Int) {
        let g = windows.geometry(h: h, w: w)
        return (g.h, g.w)
    }

    private var windows: PoolWindows {
        PoolWindows(kernelH: kernelH, kernelW: kernelW, strideY: strideY, strideX: strideX, padding: padding)
    }

    /// Pools every channel of every sample.
    public func forward(_ input: Tensor) -> Tensor {
        windows.run(input) { plane, width, rows, cols in
            var m = -Float.infinity
            for y in rows {
                let row = plane + y * width
                for x in cols where row[x] > m { m = row[x] }
            }
            return m
        }
    }
}
