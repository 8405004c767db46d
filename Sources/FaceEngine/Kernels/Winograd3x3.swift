import COpenBLAS

/// Winograd's minimal filtering F(2x2, 3x3) for stride-1 3x3 convolutions: each 4x4 input tile
/// gives a 2x2 output tile with 16 instead of 36 multiplications per channel pair, done as 16
/// products `U[k] (outC x inC) * V[k] (inC x tiles)`. The transforms are Lavin & Gray's; in
/// float32 the result differs from direct convolution by rounding only.
///
/// The tiles are processed in chunks of whole samples (small maps) or of tile rows of one sample
/// (large maps), sized so that the transformed input and the products of a chunk stay in the
/// core's L2 cache; a chunk never mixes the tile rows of one sample with another sample's.
/// Transforms run row-wise over contiguous memory (tiles of one tile row are adjacent in `V` and
/// `M`), the output transform adds the bias and hands each finished row to the epilogue.
struct Winograd3x3: Sendable {
    let outChannels: Int
    let inChannels: Int
    /// Transformed weights `G g G^T`, laid out `[16][outC][inC]`.
    let transformed: [Float]

    /// Bytes of transformed input plus products one chunk may use (half of a 2 MB L2).
    static let chunkBytes = 1 << 20

    init(weights: [Float], outChannels: Int, inChannels: Int) {
        self.outChannels = outChannels
        self.inChannels = inChannels
        var u = [Float](repeating: 0, count: 16 * outChannels * inChannels)
        for oc in 0..<outChannels {
            for ic in 0..<inChannels {
                let g = (0..<9).map { Double(weights[(oc * inChannels + ic) * 9 + $0]) }
                // G = [[1,0,0],[.5,.5,.5],[.5,-.5,.5],[0,0,1]]; t = G g (4x3), then t G^T (4x4).
                var t = [Double](repeating: 0, count: 12)
                for c in 0..<3 {
                    let g0 = g[c], g1 = g[3 + c], g2 = g[6 + c]
                    t[c] = g0
                    t[3 + c] = 0.5 * (g0 + g1 + g2)
                    t[6 + c] = 0.5 * (g0 - g1 + g2)
                    t[9 + c] = g2
                }
                for r in 0..<4 {
                    let a = t[r * 3], b = t[r * 3 + 1], c = t[r * 3 + 2]
                    let row = [a, 0.5 * (a + b + c), 0.5 * (a - b + c), c]
                    for k in 0..<4 { u[((r * 4 + k) * outChannels + oc) * inChannels + ic] = Float(row[k]) }
                }
            }
        }
        transformed = u
    }

    /// A run of tile rows `rows` of sample `sample`, whose tiles start at column `column` of the chunk.
    private struct Segment {
        let sample: Int, rows: Range<Int>, column: Int
    }

    /// Convolves with zero padding `padTop`/`padLeft` into an `outH x outW` output, adding `bias`,
    /// then applies `epilogue` to every output row.
    func forward(_ input: Tensor, outH: Int, outW: Int, padTop: Int, padLeft: Int, bias: [Float],
                 epilogue: ConvEpilogue) -> Tensor {
        var output = Tensor(uninitializedN: input.n, c: outChannels, h: outH, w: outW)
        let tilesY = (outH + 1) / 2, tilesX = (outW + 1) / 2
        let perSample = tilesY * tilesX
        guard input.n > 0, perSample > 0 else { return output }
        let cIn = inChannels, cOut = outChannels
        let budget = max(tilesX, Self.chunkBytes / (64 * (cIn + cOut)))
        // Either whole samples per chunk, or balanced bands of tile rows of one sample.
        let samplesPerChunk = max(1, budget / perSample)
        let bands = perSample <= budget ? 1 : (perSample + budget - 1) / budget
        let rowsPerBand = (tilesY + bands - 1) / bands
        let capacity = perSample <= budget ? min(samplesPerChunk, input.n) * perSample : rowsPerBand * tilesX
        let v = Scratch(count: 16 * cIn * capacity)
        let m = Scratch(count: 16 * cOut * capacity)
        // Zero-padded copy of one input plane: tile rows then read 2*tilesX+2 columns without checks.
        let pw = 2 * tilesX + 2, ph = 2 * tilesY + 2
        let padded = Scratch(count: ph * pw + 4 * pw)
        defer { v.free(); m.free(); padded.free() }
        padded.pointer.update(repeating: 0, count: ph * pw)
        input.data.withUnsafeBufferPointer { srcBuf in
            output.data.withUnsafeMutableBufferPointer { dstBuf in
                transformed.withUnsafeBufferPointer { u in
                    var chunk = [Segment]()
                    func run() {
                        let count = chunk.reduce(0) { $0 + $1.rows.count * tilesX }
                        for seg in chunk {
                            transformInput(srcBuf.base + seg.sample * input.sampleSize, ih: input.h, iw: input.w,
                                           padTop: padTop, padLeft: padLeft, rows: seg.rows, tilesX: tilesX,
                                           padded: padded.pointer, pw: pw, ph: ph,
                                           into: v.pointer + seg.column, ldv: capacity)
                        }
                        for k in 0..<16 {
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cOut), Int32(count), Int32(cIn),
                                        1, u.base + k * cOut * cIn, Int32(cIn), v.pointer + k * cIn * capacity,
                                        Int32(capacity), 0, m.pointer + k * cOut * capacity, Int32(capacity))
                        }
                        for seg in chunk {
                            transformOutput(m.pointer + seg.column, ldm: capacity, rows: seg.rows, tilesX: tilesX,
                                            outH: outH, outW: outW, bias: bias, sample: seg.sample,
                                            into: dstBuf.base, epilogue: epilogue)
                        }
                        chunk.removeAll(keepingCapacity: true)
                    }
                    if bands == 1 {
                        var s = 0
                        while s < input.n {
                            let count = min(samplesPerChunk, input.n - s)
                            for i in 0..<count { chunk.append(Segment(sample: s + i, rows: 0..<tilesY, column: i * perSample)) }
                            run()
                            s += count
                        }
                    } else {
                        for s in 0..<input.n {
                            var ty = 0
                            while ty < tilesY {
                                let end = min(tilesY, ty + rowsPerBand)
                                chunk.append(Segment(sample: s, rows: ty..<end, column: 0))
                                run()
                                ty = end
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// `V = B^T d B` for tile rows `rows` of every channel of one sample, into `[16][inC][ldv]`
    /// with the tiles of those rows in consecutive columns.
    private func transformInput(_ sample: UnsafePointer<Float>, ih: Int, iw: Int, padTop: Int, padLeft: Int,
                                rows: Range<Int>, tilesX: Int, padded: UnsafeMutablePointer<Float>, pw: Int, ph: Int,
                                into v: UnsafeMutablePointer<Float>, ldv: Int) {
        let cIn = inChannels
        let t0 = padded + ph * pw, t1 = t0 + pw, t2 = t1 + pw, t3 = t2 + pw
        let kStride = cIn * ldv
        // Input rows (padded coordinates) the band reads; the padding border stays zero.
        let yLo = rows.lowerBound * 2, yHi = rows.upperBound * 2 + 2
        let copyW = min(iw, pw - padLeft)
        for ic in 0..<cIn {
            let plane = sample + ic * ih * iw
            for py in yLo..<yHi {
                let y = py - padTop
                guard y >= 0, y < ih, copyW > 0 else { continue }
                (padded + py * pw + padLeft).update(from: plane + y * iw, count: copyW)
            }
            for (i, ty) in rows.enumerated() {
                let r0 = UnsafePointer(padded + 2 * ty * pw), r1 = r0 + pw, r2 = r1 + pw, r3 = r2 + pw
                // B^T d: column-wise over the four rows, contiguous.
                for x in 0..<pw {
                    t0[x] = r0[x] - r2[x]
                    t1[x] = r1[x] + r2[x]
                    t2[x] = r2[x] - r1[x]
                    t3[x] = r1[x] - r3[x]
                }
                // (B^T d) B: along each row, one output per tile.
                for (r, t) in [t0, t1, t2, t3].enumerated() {
                    let out = v + (r * 4 * cIn + ic) * ldv + i * tilesX
                    let o1 = out + kStride, o2 = o1 + kStride, o3 = o2 + kStride
                    for tx in 0..<tilesX {
                        let a = t[2 * tx], b = t[2 * tx + 1], c = t[2 * tx + 2], e = t[2 * tx + 3]
                        out[tx] = a - c
                        o1[tx] = b + c
                        o2[tx] = c - b
                        o3[tx] = b - e
                    }
                }
            }
        }
        // No clean-up: rows inside the input are rewritten before every use, the border is never written.
    }

    /// `Y = A^T M A + bias` for tile rows `rows` of one sample, written into its output planes.
    private func transformOutput(_ m: UnsafePointer<Float>, ldm: Int, rows: Range<Int>, tilesX: Int,
                                 outH: Int, outW: Int, bias: [Float], sample: Int,
                                 into dst: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue) {
        let cOut = outChannels
        let ks = cOut * ldm
        let fullX = outW / 2
        for oc in 0..<cOut {
            let b = bias[oc]
            let plane = dst + (sample * cOut + oc) * outH * outW
            for (i, ty) in rows.enumerated() {
                let p = m + oc * ldm + i * tilesX
                let oy = ty * 2
                let row0 = plane + oy * outW, row1 = row0 + outW
                let two = oy + 1 < outH
                // A^T = [[1,1,1,0],[0,1,-1,-1]]: rows first, then columns.
                @inline(__always) func tile(_ tx: Int) -> (Float, Float, Float, Float) {
                    let m0 = p[tx], m1 = p[ks + tx], m2 = p[2 * ks + tx], m3 = p[3 * ks + tx]
                    let m4 = p[4 * ks + tx], m5 = p[5 * ks + tx], m6 = p[6 * ks + tx], m7 = p[7 * ks + tx]
                    let m8 = p[8 * ks + tx], m9 = p[9 * ks + tx], m10 = p[10 * ks + tx], m11 = p[11 * ks + tx]
                    let m12 = p[12 * ks + tx], m13 = p[13 * ks + tx], m14 = p[14 * ks + tx], m15 = p[15 * ks + tx]
                    let q0 = m0 + m4 + m8, q1 = m1 + m5 + m9, q2 = m2 + m6 + m10, q3 = m3 + m7 + m11
                    let q4 = m4 - m8 - m12, q5 = m5 - m9 - m13, q6 = m6 - m10 - m14, q7 = m7 - m11 - m15
                    return (q0 + q1 + q2 + b, q1 - q2 - q3 + b, q4 + q5 + q6 + b, q5 - q6 - q7 + b)
                }
                if two {
                    for tx in 0..<fullX {
                        let y = tile(tx)
                        row0[2 * tx] = y.0; row0[2 * tx + 1] = y.1
                        row1[2 * tx] = y.2; row1[2 * tx + 1] = y.3
                    }
                    if fullX < tilesX {
                        let y = tile(fullX)
                        row0[2 * fullX] = y.0; row1[2 * fullX] = y.2
                    }
                    epilogue.apply(row0, count: 2 * outW, sample: sample, channel: oc, offset: oy * outW)
                } else {
                    for tx in 0..<fullX {
                        let y = tile(tx)
                        row0[2 * tx] = y.0; row0[2 * tx + 1] = y.1
                    }
                    if fullX < tilesX { row0[2 * fullX] = tile(fullX).0 }
                    epilogue.apply(row0, count: outW, sample: sample, channel: oc, offset: oy * outW)
                }
            }
        }
    }
}
