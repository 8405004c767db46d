/// Max pooling over whole planes (`[plane][row][column]`, any number of planes) with Keras'
/// "same" or "valid" windows, as MTCNN's pools use them. Windows are clipped to the input (padding
/// never wins), like the shared `MaxPool2D`.
///
/// Separable, rows first: for each output row the window's input rows are combined column by
/// column (contiguous, eight lanes at a time), then each output column takes the maximum of its
/// window in that one combined row. Rows first touches only the `out rows x in columns` values
/// the windows need (columns first reduced every input row). The maximum of a set does not depend
/// on the order it is taken in, so this equals the window walk.
struct MTCNNMaxPool: Sendable {
    /// The square window and its stride (the same on both axes).
    let window: PoolWindow
    var kernel: Int { window.kernelH }
    var stride: Int { window.strideY }

    init(kernel: Int, stride: Int, padding: SpatialPadding) {
        window = PoolWindow(kernelH: kernel, kernelW: kernel, strideY: stride, strideX: stride, padding: padding)
    }

    /// Output rows and columns and the padding before the first row and column.
    func geometry(h: Int, w: Int) -> (h: Int, w: Int, padTop: Int, padLeft: Int) { window.geometry(h: h, w: w) }

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
        let full = cols.indices.filter { cols[$0].1 - cols[$0].0 == kernel }
        let fullRange = (full.first ?? 0)..<((full.last ?? -1) + 1)
        let unrolled = (kernel == 2 || kernel == 3) && full.count == fullRange.count && !fullRange.isEmpty
        let edges = (0..<g.w).filter { !unrolled || !fullRange.contains($0) }
        // One output row's column maxima over its window rows (`w` values, plus lanes for the tail).
        let colMax = UnsafeMutablePointer<Float>.allocate(capacity: w + 8)
        defer { colMax.deallocate() }
        cols.withUnsafeBufferPointer { cs in
            for p in 0..<planes {
                let plane = src + p * h * w
                let out = dst + p * g.h * g.w
                for oy in 0..<g.h {
                    let y0 = max(oy * stride - g.padTop, 0), y1 = min(oy * stride - g.padTop + kernel, h)
                    Self.combineRows(plane + y0 * w, rows: y1 - y0, w: w, into: colMax)
                    let o = out + oy * g.w
                    for ox in edges {
                        let (x0, x1) = cs[ox]
                        var m = colMax[x0]
                        var x = x0 + 1
                        while x < x1 {
                            let v = colMax[x]
                            m = v > m ? v : m
                            x += 1
                        }
                        o[ox] = m
                    }
                    guard unrolled else { continue }
                    var q = UnsafePointer(colMax) + fullRange.lowerBound * stride - g.padLeft
                    if kernel == 2 {
                        for ox in fullRange {
                            let a = q[0], b = q[1]
                            o[ox] = b > a ? b : a
                            q += stride
                        }
                    } else {
                        for ox in fullRange {
                            let a = q[0], b = q[1], c = q[2]
                            let m = b > a ? b : a
                            o[ox] = c > m ? c : m
                            q += stride
                        }
                    }
                }
            }
        }
        return (g.h, g.w)
    }

    /// Column-wise maximum of `rows` consecutive rows of `w` floats starting at `first`.
    @inline(__always)
    private static func combineRows(_ first: UnsafePointer<Float>, rows: Int, w: Int,
                                    into out: UnsafeMutablePointer<Float>) {
        var x = 0
        while x + 8 <= w {
            var m = UnsafeRawPointer(first + x).loadUnaligned(as: SIMD8<Float>.self)
            var r = 1
            while r < rows {
                let v = UnsafeRawPointer(first + r * w + x).loadUnaligned(as: SIMD8<Float>.self)
                m.replace(with: v, where: v .> m)
                r += 1
            }
            UnsafeMutableRawPointer(out + x).storeBytes(of: m, as: SIMD8<Float>.self)
            x += 8
        }
        while x < w {
            var m = first[x]
            var r = 1
            while r < rows {
                let v = first[r * w + x]
                m = v > m ? v : m
                r += 1
            }
            out[x] = m
            x += 1
        }
    }
}
