/// Max pooling over `kernelH x kernelW` windows; padded positions never win.
public struct MaxPool2D: Sendable {
    /// Window size, strides and border convention.
    public let window: PoolWindow

    /// Creates the layer.
    public init(kernelH: Int, kernelW: Int, strideY: Int, strideX: Int, padding: SpatialPadding = .valid) {
        window = PoolWindow(kernelH: kernelH, kernelW: kernelW, strideY: strideY, strideX: strideX, padding: padding)
    }

    /// Output rows and columns for an input size.
    public func outputSize(h: Int, w: Int) -> (h: Int, w: Int) { window.outputSize(h: h, w: w) }

    /// Pools every channel of every sample. Separably: the window's rows are reduced into one row
    /// (contiguous, SIMD), then each output takes the maximum of its columns of that row; max is
    /// exact, so the order does not change the result.
    public func forward(_ input: Tensor) -> Tensor {
        let g = window.geometry(h: input.h, w: input.w)
        let (kernelH, kernelW, strideY, strideX) = (window.kernelH, window.kernelW, window.strideY, window.strideX)
        var output = Tensor(uninitializedN: input.n, c: input.c, h: g.h, w: g.w)
        guard output.count > 0 else { return output }
        let iw = input.w, ih = input.h
        let row = Scratch(count: iw)
        defer { row.free() }
        let low = SIMD8<Float>(repeating: -.infinity)
        input.data.withUnsafeBufferPointer { srcBuf in
            output.data.withUnsafeMutableBufferPointer { dstBuf in
                let buf = row.pointer
                for p in 0..<(input.n * input.c) {
                    let plane = srcBuf.base + p * input.planeSize
                    let out = dstBuf.base + p * g.h * g.w
                    for oy in 0..<g.h {
                        let y0 = oy * strideY - g.padTop
                        var x = 0
                        while x + 8 <= iw { store8(low, buf + x); x += 8 }
                        while x < iw { buf[x] = -.infinity; x += 1 }
                        // Cells in the padding never win: only rows inside the input take part.
                        for y in max(y0, 0)..<max(max(y0, 0), min(y0 + kernelH, ih)) {
                            let r = plane + y * iw
                            x = 0
                            while x + 8 <= iw {
                                let v = load8(r + x), m = load8(buf + x)
                                store8(m.replacing(with: v, where: v .> m), buf + x)
                                x += 8
                            }
                            while x < iw { if r[x] > buf[x] { buf[x] = r[x] }; x += 1 }
                        }
                        let dst = out + oy * g.w
                        for ox in 0..<g.w {
                            let x0 = ox * strideX - g.padLeft
                            var m = -Float.infinity
                            for c in max(x0, 0)..<max(max(x0, 0), min(x0 + kernelW, iw)) where buf[c] > m { m = buf[c] }
                            dst[ox] = m
                        }
                    }
                }
            }
        }
        return output
    }
}
