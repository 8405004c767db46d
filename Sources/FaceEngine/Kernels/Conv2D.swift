import COpenBLAS

/// 2-D convolution (cross-correlation, as in dlib, Keras and Caffe) with bias, computed as
/// im2col + one `cblas_sgemm` per group of samples, so small late layers still get a wide product.
public struct Conv2D: Sendable {
    /// Output channels.
    public let outChannels: Int
    /// Input channels.
    public let inChannels: Int
    /// Kernel rows.
    public let kernelH: Int
    /// Kernel columns.
    public let kernelW: Int
    /// Vertical stride.
    public let strideY: Int
    /// Horizontal stride.
    public let strideX: Int
    /// Border convention.
    public let padding: SpatialPadding
    /// Weights laid out `[outC][inC][kh][kw]`.
    public let weights: [Float]
    /// One bias per output channel.
    public let bias: [Float]

    /// Creates the layer; `bias` defaults to zeros.
    public init(weights: [Float], bias: [Float]? = nil, outChannels: Int, inChannels: Int,
                kernelH: Int, kernelW: Int, strideY: Int = 1, strideX: Int = 1,
                padding: SpatialPadding = .valid) {
        precondition(outChannels > 0 && inChannels > 0 && kernelH > 0 && kernelW > 0 && strideY > 0 && strideX > 0,
                     "convolution dimensions must be positive")
        precondition(weights.count == outChannels * inChannels * kernelH * kernelW, "conv weight count mismatch")
        precondition(bias == nil || bias?.count == outChannels, "conv bias count mismatch")
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.strideY = strideY
        self.strideX = strideX
        self.padding = padding
        self.weights = weights
        self.bias = bias ?? [Float](repeating: 0, count: outChannels)
    }

    /// Output rows, columns and the padding before the first row and column for an input size.
    public func geometry(h: Int, w: Int) -> (h: Int, w: Int, padTop: Int, padLeft: Int) {
        let y = padding.resolve(input: h, kernel: kernelH, stride: strideY, axisIsY: true)
        let x = padding.resolve(input: w, kernel: kernelW, stride: strideX, axisIsY: false)
        return (y.output, x.output, y.padBefore, x.padBefore)
    }

    /// Multiply-adds per sample for an input size (for throughput reports).
    public func multiplyAdds(h: Int, w: Int) -> Int {
        let g = geometry(h: h, w: w)
        return g.h * g.w * outChannels * inChannels * kernelH * kernelW
    }

    /// Convolves every sample of the batch.
    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.c == inChannels, "conv expects \(inChannels) channels, got \(input.c)")
        let g = geometry(h: input.h, w: input.w)
        var output = Tensor(n: input.n, c: outChannels, h: g.h, w: g.w)
        let outPlane = g.h * g.w
        guard input.n > 0, outPlane > 0 else { return output }
        let k = inChannels * kernelH * kernelW
        let direct = kernelH == 1 && kernelW == 1 && strideY == 1 && strideX == 1
            && g.padTop == 0 && g.padLeft == 0 && g.h == input.h && g.w == input.w
        // Group samples so one product covers at least ~4096 output positions, while the
        // column buffer stays within ~16 MB.
        let perGroup = max(1, min(input.n, max(4096 / outPlane, 1), max((4 << 20) / (k * outPlane), 1)))
        let columns = Scratch(count: direct && perGroup == 1 ? 0 : k * perGroup * outPlane)
        let product = Scratch(count: perGroup > 1 ? outChannels * perGroup * outPlane : 0)
        defer { columns.free(); product.free() }
        input.data.withUnsafeBufferPointer { srcBuf in
            output.data.withUnsafeMutableBufferPointer { dstBuf in
                weights.withUnsafeBufferPointer { wts in
                    let src = srcBuf.base, dst = dstBuf.base
                    var first = 0
                    while first < input.n {
                        let count = min(perGroup, input.n - first)
                        let width = count * outPlane
                        let colBase: UnsafePointer<Float>
                        if direct && count == 1 {
                            colBase = src + first * input.sampleSize
                        } else {
                            for s in 0..<count {
                                im2col(src + (first + s) * input.sampleSize, input: input,
                                       g: g, into: columns.pointer + s * outPlane, rowStride: width)
                            }
                            colBase = UnsafePointer(columns.pointer)
                        }
                        let target = count == 1 ? dst + first * outChannels * outPlane : product.pointer
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                    Int32(outChannels), Int32(width), Int32(k),
                                    1, wts.base, Int32(k), colBase, Int32(width),
                                    0, target, Int32(width))
                        if count > 1 {
                            for s in 0..<count {
                                for oc in 0..<outChannels {
                                    (dst + ((first + s) * outChannels + oc) * outPlane)
                                        .update(from: product.pointer + oc * width + s * outPlane, count: outPlane)
                                }
                            }
                        }
                        first += count
                    }
                    addBias(dst, planes: input.n, plane: outPlane)
                }
            }
        }
        return output
    }

    private func addBias(_ dst: UnsafeMutablePointer<Float>, planes n: Int, plane: Int) {
        var p = dst
        for _ in 0..<n {
            for oc in 0..<outChannels {
                let b = bias[oc]
                if b != 0 { for i in 0..<plane { p[i] += b } }
                p += plane
            }
        }
    }

    /// Writes one sample's patches as rows `(ic, ky, kx)` of a matrix whose rows are `rowStride`
    /// floats apart; column `oy * outW + ox` of each row holds the input value under that tap.
    private func im2col(_ sample: UnsafePointer<Float>, input: Tensor,
                        g: (h: Int, w: Int, padTop: Int, padLeft: Int),
                        into col: UnsafeMutablePointer<Float>, rowStride: Int) {
        let ih = input.h, iw = input.w
        var row = 0
        for ic in 0..<inChannels {
            let plane = sample + ic * ih * iw
            for ky in 0..<kernelH {
                for kx in 0..<kernelW {
                    let out = col + row * rowStride
                    for oy in 0..<g.h {
                        let iy = oy * strideY - g.padTop + ky
                        let dstRow = out + oy * g.w
                        if iy < 0 || iy >= ih {
                            dstRow.update(repeating: 0, count: g.w)
                            continue
                        }
                        let srcRow = plane + iy * iw
                        let x0 = kx - g.padLeft
                        if strideX == 1 && x0 >= 0 && x0 + g.w <= iw {
                            dstRow.update(from: srcRow + x0, count: g.w)
                        } else {
                            for ox in 0..<g.w {
                                let ix = ox * strideX + x0
                                dstRow[ox] = (ix >= 0 && ix < iw) ? srcRow[ix] : 0
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
