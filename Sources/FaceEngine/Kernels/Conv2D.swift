import CDNNL
import COpenBLAS
import Synchronization

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
    /// The same filters in Winograd form, for 3x3 stride-1 layers; made on first use, since a
    /// layer that runs on oneDNN never needs them (they are 16/9 the size of the weights).
    private let winogradForm: WinogradForm?
    /// Identifies `weights` to oneDNN's shared weights cache (`DNNLChain`): copies of this layer
    /// share the key, another layer never has it.
    let weightsKey: UInt64

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
        winogradForm = kernelH == 3 && kernelW == 3 && strideY == 1 && strideX == 1 ? WinogradForm() : nil
        weightsKey = cdnnl_weights_key()
    }

    /// The Winograd form of the filters (nil unless 3x3 stride 1), made once.
    var winograd: Winograd3x3? {
        winogradForm?.get { Winograd3x3(weights: weights, outChannels: outChannels, inChannels: inChannels) }
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
    public func forward(_ input: Tensor) -> Tensor { forward(input, residual: nil, relu: false) }

    /// Convolves every sample, then adds `residual` (dlib's `add_prev` when n, h and w agree: its
    /// channels go to the first output channels, the others get nothing) and applies ReLU if asked:
    /// convolution, residual join and activation in one pass over the output.
    public func forward(_ input: Tensor, residual: Tensor?, relu: Bool) -> Tensor {
        precondition(input.c == inChannels, "conv expects \(inChannels) channels, got \(input.c)")
        let g = geometry(h: input.h, w: input.w)
        let outPlane = g.h * g.w
        guard input.n > 0, outPlane > 0 else { return Tensor(n: input.n, c: outChannels, h: g.h, w: g.w) }
        guard let residual else {
            return run(input, g, ConvEpilogue(residual: nil, residualChannels: 0, plane: outPlane, relu: relu))
        }
        precondition(residual.n == input.n && residual.h == g.h && residual.w == g.w && residual.c <= outChannels,
                     "fused residual must match the output's n, h, w and have at most its channels")
        return residual.data.withUnsafeBufferPointer { r in
            run(input, g, ConvEpilogue(residual: r.base, residualChannels: residual.c, plane: outPlane, relu: relu))
        }
    }

    /// Whether this layer takes the Winograd path for an output size. Winograd pays off once a
    /// sample has several 2x2 output tiles and enough input channels that the products, not the
    /// 16-fold transformed outputs, dominate (measured in docs/engine.md, "Speed").
    func usesWinograd(outH: Int, outW: Int) -> Bool {
        winogradForm != nil && outH >= 4 && outW >= 4 && inChannels >= Self.winogradMinInputChannels
    }

    /// Below this many input channels im2col + sgemm beats Winograd (see `usesWinograd`).
    static let winogradMinInputChannels = 16

    /// Floats of im2col columns per product when a sample is large (row bands within L2).
    static let columnBudget = 1 << 16

    private func run(_ input: Tensor, _ g: (h: Int, w: Int, padTop: Int, padLeft: Int), _ epilogue: ConvEpilogue) -> Tensor {
        if usesWinograd(outH: g.h, outW: g.w), let winograd {
            return winograd.forward(input, outH: g.h, outW: g.w, padTop: g.padTop, padLeft: g.padLeft, bias: bias,
                                    epilogue: epilogue)
        }
        let outPlane = g.h * g.w
        var output = Tensor(uninitializedN: input.n, c: outChannels, h: g.h, w: g.w)
        let k = inChannels * kernelH * kernelW
        let direct = kernelH == 1 && kernelW == 1 && strideY == 1 && strideX == 1
            && g.padTop == 0 && g.padLeft == 0 && g.h == input.h && g.w == input.w
        // Group samples so one product covers at least ~4096 output positions, while the
        // column buffer stays within ~16 MB.
        let perGroup = max(1, min(input.n, max(4096 / outPlane, 1), max((4 << 20) / (k * outPlane), 1)))
        // A large sample is multiplied in bands of output rows whose columns stay in cache.
        let bandRows = direct ? g.h : max(1, min(g.h, Self.columnBudget / max(1, k * g.w)))
        let columns = Scratch(count: direct && perGroup == 1 ? 0 : k * (perGroup == 1 ? bandRows * g.w : perGroup * outPlane))
        let product = Scratch(count: perGroup > 1 ? outChannels * perGroup * outPlane : 0)
        // Stride 2: each sample's rows split into even and odd columns, so every tap row is one copy.
        let halfW = (input.w + 1) / 2
        let split = Scratch(count: strideX == 2 && !direct ? inChannels * input.h * 2 * halfW : 0)
        let splitRows: UnsafePointer<Float>? = strideX == 2 && !direct ? UnsafePointer(split.pointer) : nil
        defer { columns.free(); product.free(); split.free() }
        func prepare(_ sample: UnsafePointer<Float>) {
            guard splitRows != nil else { return }
            let iw = input.w
            for r in 0..<(inChannels * input.h) {
                let src = sample + r * iw, even = split.pointer + r * 2 * halfW, odd = even + halfW
                for j in 0..<(iw / 2) {
                    even[j] = src[2 * j]
                    odd[j] = src[2 * j + 1]
                }
                if iw & 1 == 1 { even[iw / 2] = src[iw - 1] }
            }
        }
        input.data.withUnsafeBufferPointer { srcBuf in
            output.data.withUnsafeMutableBufferPointer { dstBuf in
                weights.withUnsafeBufferPointer { wts in
                    let src = srcBuf.base, dst = dstBuf.base
                    if perGroup == 1 {
                        for s in 0..<input.n {
                            let sample = src + s * input.sampleSize, out = dst + s * outChannels * outPlane
                            if !direct { prepare(sample) }
                            var r0 = 0
                            while r0 < g.h {
                                let rows = r0..<min(g.h, r0 + bandRows)
                                let width = rows.count * g.w
                                let colBase: UnsafePointer<Float>
                                if direct {
                                    colBase = sample
                                } else {
                                    im2col(sample, input: input, g: g, rows: rows, split: splitRows,
                                           into: columns.pointer, rowStride: width)
                                    colBase = UnsafePointer(columns.pointer)
                                }
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                            Int32(outChannels), Int32(width), Int32(k),
                                            1, wts.base, Int32(k), colBase, Int32(width),
                                            0, out + r0 * g.w, Int32(outPlane))
                                for oc in 0..<outChannels {
                                    finish(out + oc * outPlane + r0 * g.w, count: width, sample: s, channel: oc,
                                           offset: r0 * g.w, epilogue: epilogue)
                                }
                                r0 = rows.upperBound
                            }
                        }
                        return
                    }
                    var first = 0
                    while first < input.n {
                        let count = min(perGroup, input.n - first)
                        let width = count * outPlane
                        for s in 0..<count {
                            prepare(src + (first + s) * input.sampleSize)
                            im2col(src + (first + s) * input.sampleSize, input: input, g: g, rows: 0..<g.h,
                                   split: splitRows, into: columns.pointer + s * outPlane, rowStride: width)
                        }
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                    Int32(outChannels), Int32(width), Int32(k),
                                    1, wts.base, Int32(k), columns.pointer, Int32(width),
                                    0, product.pointer, Int32(width))
                        for s in 0..<count {
                            for oc in 0..<outChannels {
                                let target = dst + ((first + s) * outChannels + oc) * outPlane
                                let from = product.pointer + oc * width + s * outPlane
                                let b = bias[oc]
                                if b != 0 {
                                    for i in 0..<outPlane { target[i] = from[i] + b }
                                } else {
                                    target.update(from: from, count: outPlane)
                                }
                                if !epilogue.isIdentity {
                                    epilogue.apply(target, count: outPlane, sample: first + s, channel: oc, offset: 0)
                                }
                            }
                        }
                        first += count
                    }
                }
            }
        }
        return output
    }

    /// Adds the bias to `count` fresh values of one output plane, then the epilogue.
    @inline(__always)
    private func finish(_ p: UnsafeMutablePointer<Float>, count: Int, sample: Int, channel: Int, offset: Int,
                        epilogue: ConvEpilogue) {
        let b = bias[channel]
        if b != 0 {
            let bv = SIMD8<Float>(repeating: b)
            var i = 0
            while i + 8 <= count { store8(load8(p + i) + bv, p + i); i += 8 }
            while i < count { p[i] += b; i += 1 }
        }
        epilogue.apply(p, count: count, sample: sample, channel: channel, offset: offset)
    }

    /// Writes the patches of output rows `rows` of one sample as rows `(ic, ky, kx)` of a matrix
    /// whose rows are `rowStride` floats apart; column `(oy - rows.lowerBound) * outW + ox` of each
    /// row holds the input value under that tap. `split` (stride 2 only) is the sample with every
    /// row stored as its even columns then its odd columns, `(iw + 1) / 2` each.
    private func im2col(_ sample: UnsafePointer<Float>, input: Tensor,
                        g: (h: Int, w: Int, padTop: Int, padLeft: Int), rows: Range<Int>, split: UnsafePointer<Float>?,
                        into col: UnsafeMutablePointer<Float>, rowStride: Int) {
        let ih = input.h, iw = input.w, halfW = (iw + 1) / 2
        var row = 0
        for ic in 0..<inChannels {
            let plane = sample + ic * ih * iw
            for ky in 0..<kernelH {
                for kx in 0..<kernelW {
                    let out = col + row * rowStride
                    for oy in rows {
                        let iy = oy * strideY - g.padTop + ky
                        let dstRow = out + (oy - rows.lowerBound) * g.w
                        if iy < 0 || iy >= ih {
                            dstRow.update(repeating: 0, count: g.w)
                            continue
                        }
                        let srcRow = plane + iy * iw
                        let x0 = kx - g.padLeft
                        if strideX == 1 && x0 >= 0 && x0 + g.w <= iw {
                            dstRow.update(from: srcRow + x0, count: g.w)
                        } else if let split, x0 >= 0, x0 + 2 * (g.w - 1) < iw {
                            dstRow.update(from: split + ((ic * ih + iy) * 2 + (x0 & 1)) * halfW + (x0 >> 1), count: g.w)
                        } else {
                            // Columns whose tap falls inside the row: ox in [first, end).
                            let first = min(g.w, x0 >= 0 ? 0 : (-x0 + strideX - 1) / strideX)
                            let end = max(first, min(g.w, iw - x0 > 0 ? (iw - x0 + strideX - 1) / strideX : 0))
                            for ox in 0..<first { dstRow[ox] = 0 }
                            var ix = first * strideX + x0
                            for ox in first..<end {
                                dstRow[ox] = srcRow[ix]
                                ix += strideX
                            }
                            for ox in end..<g.w { dstRow[ox] = 0 }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}

/// A layer's Winograd filters, computed by the first call that needs them.
private final class WinogradForm: Sendable {
    private let made = Mutex<Winograd3x3?>(nil)

    func get(_ make: () -> Winograd3x3) -> Winograd3x3 {
        made.withLock { form in
            if let form { return form }
            let new = make()
            form = new
            return new
        }
    }
}
