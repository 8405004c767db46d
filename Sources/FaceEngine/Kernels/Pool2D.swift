/// A pooling window: its size, strides and border convention, and the walk `MaxPool2D` and
/// `AvgPool2D` share: each output position reduces the input positions of its window that lie
/// inside the input (padding is ignored, as dlib's `subm_clipped`, TensorFlow and Caffe do).
public struct PoolWindow: Sendable {
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

    /// Creates the window.
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
        let g = geometry(h: h, w: w)
        return (g.h, g.w)
    }

    /// Output size and the padding before the first row and column.
    func geometry(h: Int, w: Int) -> (h: Int, w: Int, padTop: Int, padLeft: Int) {
        let y = padding.resolve(input: h, kernel: kernelH, stride: strideY, axisIsY: true)
        let x = padding.resolve(input: w, kernel: kernelW, stride: strideX, axisIsY: false)
        return (y.output, x.output, y.padBefore, x.padBefore)
    }

    /// Every plane of `input` pooled: `reduce(plane, width, rows, columns)` gives the value of one
    /// output position from the rows and columns of its window inside the input.
    func run(_ input: Tensor, reduce: (UnsafePointer<Float>, Int, Range<Int>, Range<Int>) -> Float) -> Tensor {
        let g = geometry(h: input.h, w: input.w)
        var output = Tensor(n: input.n, c: input.c, h: g.h, w: g.w)
        guard output.count > 0 else { return output }
        let planes = input.n * input.c
        input.data.withUnsafeBufferPointer { srcBuf in
            output.data.withUnsafeMutableBufferPointer { dstBuf in
                let src = srcBuf.base, dst = dstBuf.base
                for p in 0..<planes {
                    let plane = src + p * input.planeSize
                    let out = dst + p * g.h * g.w
                    for oy in 0..<g.h {
                        let y0 = oy * strideY - g.padTop
                        let rows = max(y0, 0)..<min(y0 + kernelH, input.h)
                        for ox in 0..<g.w {
                            let x0 = ox * strideX - g.padLeft
                            let cols = max(x0, 0)..<min(x0 + kernelW, input.w)
                            out[oy * g.w + ox] = reduce(plane, input.w, rows, cols)
                        }
                    }
                }
            }
        }
        return output
    }
}
