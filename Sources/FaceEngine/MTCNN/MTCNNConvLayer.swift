import COpenBLAS

/// A valid, stride-1 MTCNN convolution with its bias and optional PReLU fused, on activations laid
/// out channel-major across the batch (`[channel][sample][row][column]`, "CNHW").
///
/// In that layout one `cblas_sgemm` (weights `outC x K` times im2col columns `K x positions`)
/// writes the next layer's input directly: no transposes, no per-sample products. The im2col
/// matrix is built for a chunk of output rows at a time (about `chunkFloats` floats) so it stays in
/// cache, and the chunk's bias + PReLU pass runs while the product is still hot. MTCNN's channel
/// counts (3 to 128) are too small for Winograd's transforms to pay for themselves, so unlike the
/// shared `Conv2D` this is plain im2col + sgemm.
struct MTCNNConvLayer: Sendable {
    let outChannels: Int
    let inChannels: Int
    let kernel: Int
    /// `[out][in][ky][kx]`, i.e. row-major `outC x K` with `K = in * kernel * kernel`.
    let weights: [Float]
    let bias: [Float]
    /// PReLU slopes per output channel, or nil for a linear layer (the heads).
    let alpha: [Float]?
    /// Target size of one im2col chunk.
    static let chunkFloats = 1 << 16

    init(_ conv: Conv2D, prelu: PReLU?) {
        precondition(conv.kernelH == conv.kernelW && conv.strideX == 1 && conv.strideY == 1 && conv.padding == .valid,
                     "MTCNN convolutions are square, stride 1, valid")
        precondition(prelu.map { $0.alpha.count == conv.outChannels } ?? true, "PReLU slope count")
        outChannels = conv.outChannels
        inChannels = conv.inChannels
        kernel = conv.kernelH
        weights = conv.weights
        bias = conv.bias
        alpha = prelu?.alpha
    }

    /// Output size along one axis.
    func outputSize(_ input: Int) -> Int { max(0, input - kernel + 1) }

    /// Convolves `n` samples of `h x w` from `src` (`[inC][n][h][w]`) into `dst`
    /// (`[outC][n][oh][ow]`), using `scratch`'s columns slot.
    func forward(_ src: UnsafePointer<Float>, n: Int, h: Int, w: Int,
                 into dst: UnsafeMutablePointer<Float>, scratch: MTCNNScratch) {
        let oh = outputSize(h), ow = outputSize(w)
        let total = n * oh * ow
        guard total > 0 else { return }
        let k = inChannels * kernel * kernel
        weights.withUnsafeBufferPointer { wts in
            guard let wb = wts.baseAddress else { return }
            if kernel == 1 {
                // A 1x1 convolution's im2col matrix is its input.
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outChannels), Int32(total), Int32(k),
                            1, wb, Int32(k), src, Int32(total), 0, dst, Int32(total))
                finish(dst, stride: total, count: total)
                return
            }
            // A chunk is a run of output rows ("units": one row of one sample); column u * ow + ox.
            let units = n * oh
            let perChunk = max(1, min(units, Self.chunkFloats / (k * ow)))
            let columns = scratch.buffer(.columns, count: k * perChunk * ow)
            let planeIn = h * w
            var u0 = 0
            while u0 < units {
                let u1 = min(units, u0 + perChunk)
                let width = (u1 - u0) * ow
                var row = columns
                for ic in 0..<inChannels {
                    let channel = src + ic * n * planeIn
                    for ky in 0..<kernel {
                        for kx in 0..<kernel {
                            var out = row
                            var s = u0 / oh, oy = u0 - s * oh
                            for _ in u0..<u1 {
                                let from = channel + s * planeIn + (oy + ky) * w + kx
                                for x in 0..<ow { out[x] = from[x] }
                                out += ow
                                oy += 1
                                if oy == oh { oy = 0; s += 1 }
                            }
                            row += width
                        }
                    }
                }
                let target = dst + u0 * ow
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outChannels), Int32(width), Int32(k),
                            1, wb, Int32(k), columns, Int32(width), 0, target, Int32(total))
                finish(target, stride: total, count: width)
                u0 = u1
            }
        }
    }

    /// Adds the bias (after the product, as `Conv2D` does) and applies the PReLU to `count` values of
    /// each output channel, channel rows `stride` floats apart.
    private func finish(_ p: UnsafeMutablePointer<Float>, stride: Int, count: Int) {
        bias.withUnsafeBufferPointer { b in
            if let alpha {
                alpha.withUnsafeBufferPointer { a in
                    for m in 0..<outChannels {
                        let row = p + m * stride, bm = b[m], am = a[m]
                        for j in 0..<count {
                            let v = row[j] + bm
                            row[j] = v < 0 ? v * am : v
                        }
                    }
                }
            } else {
                for m in 0..<outChannels {
                    let row = p + m * stride, bm = b[m]
                    for j in 0..<count { row[j] += bm }
                }
            }
        }
    }
}
