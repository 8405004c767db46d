/// Max pooling over whole planes (`[plane][row][column]`, any number of planes) with Keras'
/// "same" or "valid" windows, as MTCNN's pools use them. Windows are clipped to the input (padding
/// never wins), like the shared `MaxPool2D`.
///
/// Separable: each window row's maximum over its columns is taken once per input row (a window
/// row is shared by the vertically overlapping windows), then the rows' maxima are combined. The
/// maximum of a set does not depend on the order it is taken in, so this equals the window walk.
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
        guard g.h > 0, g.w > 0, planes > 0 else { return (g.h, g.w) }
        // Column windows [start, end) are the same for every row and plane; the interior ones are
        // full (`kernel` wide), only the first and last can be clipped.
        let cols = (0..<g.w).map { ox -> (Int, Int) in
            let x0 = ox * stride - g.padLeft
            return (max(x0, 0), min(x0 + kernel, w))
        }
        // Row maxima of one plane: h rows of g.w values.
        let rowMax = UnsafeMutablePointer<Float>.allocate(capacity: h * g.w)
        defer { rowMax.deallocate() }
        // Windows that lie wholly inside a row get unrolled code for MTCNN's 2- and 3-wide kernels.
        let full = cols.indices.filter { cols[$0].1 - cols[$0].0 == kernel }
        let fullRange = (full.first ?? 0)..<((full.last ?? -1) + 1)
        let unrolled = (kernel == 2 || kernel == 3) && full.count == fullRange.count
        let edges = (0..<g.w).filter { !unrolled || !fullRange.contains($0) }
        cols.withUnsafeBufferPointer { cs in
            for p in 0..<planes {
                let plane = src + p * h * w
                for y in 0..<h {
                    let row = plane + y * w, out = rowMax + y * g.w
                    for ox in edges {
                        let (x0, x1) = cs[ox]
                        var m = row[x0]
                        var x = x0 + 1
                        while x < x1 {
                            let v = row[x]
                            m = v > m ? v : m
                            x += 1
                        }
                        out[ox] = m
                    }
                    guard unrolled, !fullRange.isEmpty else { continue }
                    var q = row + fullRange.lowerBound * stride - g.padLeft
                    if kernel == 2 {
                        for ox in fullRange {
                            let a = q[0], b = q[1]
                            out[ox] = b > a ? b : a
                            q += stride
                        }
                    } else {
                        for ox in fullRange {
                            let a = q[0], b = q[1], c = q[2]
                            let m = b > a ? b : a
                            out[ox] = c > m ? c : m
                            q += stride
                        }
                    }
                }
                let out = dst + p * g.h * g.w
                for oy in 0..<g.h {
                    let y0 = max(oy * stride - g.padTop, 0), y1 = min(oy * stride - g.padTop + kernel, h)
                    let o = out + oy * g.w
                    let first = rowMax + y0 * g.w
                    for ox in 0..<g.w { o[ox] = first[ox] }
                    var y = y0 + 1
                    while y < y1 {
                        let r = rowMax + y * g.w
                        for ox in 0..<g.w {
                            let v = r[ox]
                            o[ox] = v > o[ox] ? v : o[ox]
                        }
                        y += 1
                    }
                }
            }
        }
        return (g.h, g.w)
    }
}
