/// Max pooling over whole planes (`[plane][row][column]`, any number of planes) with Keras'
/// "same" or "valid" windows, as MTCNN's pools use them. Windows are clipped to the input (padding
/// never wins), like the shared `MaxPool2D`, but the loops run without per-window closures.
struct MTCNNMaxPool: Sendable {
    let kernel: Int
    let stride: Int
    let padding: SpatialPadding

    /// Output rows and columns and the padding before the first row and column.
    func geometry(h: Int, w: Int) -> (h: Int, w: Int, padTop: Int, padLeft: Int) {
        let y = padding.resolve(input: h, kernel: kernel, stride: stride, axisIsY: true)
        let x = padding.resolve(input: w, kernel: kernel, stride: stride, axisIsY: false)
        return (y.output, x.output, y.padBefore, x.padBefore)
    }

    /// Pools `planes` planes of `h x w` from `src` into `dst`; returns the output size.
    @discardableResult
    func forward(_ src: UnsafePointer<Float>, planes: Int, h: Int, w: Int,
                 into dst: UnsafeMutablePointer<Float>) -> (h: Int, w: Int) {
        let g = geometry(h: h, w: w)
        guard g.h > 0, g.w > 0 else { return (g.h, g.w) }
        // Column windows are the same for every row and plane.
        var colStart = [Int](repeating: 0, count: g.w), colEnd = [Int](repeating: 0, count: g.w)
        for ox in 0..<g.w {
            let x0 = ox * stride - g.padLeft
            colStart[ox] = max(x0, 0)
            colEnd[ox] = min(x0 + kernel, w)
        }
        colStart.withUnsafeBufferPointer { cs in
            colEnd.withUnsafeBufferPointer { ce in
                for p in 0..<planes {
                    let plane = src + p * h * w
                    let out = dst + p * g.h * g.w
                    for oy in 0..<g.h {
                        let y0 = oy * stride - g.padTop
                        let r0 = max(y0, 0), r1 = min(y0 + kernel, h)
                        let o = out + oy * g.w
                        for ox in 0..<g.w {
                            var m = -Float.infinity
                            for y in r0..<r1 {
                                let row = plane + y * w
                                for x in cs[ox]..<ce[ox] where row[x] > m { m = row[x] }
                            }
                            o[ox] = m
                        }
                    }
                }
            }
        }
        return (g.h, g.w)
    }
}
