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
                                            into: dstBuf.base, epilogue: epilogue, staging: padded.pointer + ph * pw)
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
    /// with the tiles of those rows in consecutive columns. The padded plane holds even and odd
    /// columns apart (`pw / 2` each, per row), so that every load and store is a contiguous SIMD run.
    private func transformInput(_ sample: UnsafePointer<Float>, ih: Int, iw: Int, padTop: Int, padLeft: Int,
                                rows: Range<Int>, tilesX: Int, padded: UnsafeMutablePointer<Float>, pw: Int, ph: Int,
                                into v: UnsafeMutablePointer<Float>, ldv: Int) {
        let cIn = inChannels
        let half = pw / 2  // tilesX + 1 even (and odd) columns per padded row
        let t = padded + ph * pw  // 8 rows of `half`: B^T d of the even columns, then of the odd ones
        let kStride = cIn * ldv
        // Input rows (padded coordinates) the band reads; the padding border stays zero.
        let yLo = rows.lowerBound * 2, yHi = rows.upperBound * 2 + 2
        let copyW = min(iw, pw - padLeft)
        for ic in 0..<cIn {
            let plane = sample + ic * ih * iw
            for py in yLo..<yHi {
                let y = py - padTop
                guard y >= 0, y < ih, copyW > 0 else { continue }
                let src = plane + y * iw, even = padded + py * pw, odd = even + half
                for x in 0..<copyW {
                    let px = x + padLeft
                    if px & 1 == 0 { even[px >> 1] = src[x] } else { odd[px >> 1] = src[x] }
                }
            }
            for (i, ty) in rows.enumerated() {
                let r0 = UnsafePointer(padded + 2 * ty * pw), r1 = r0 + pw, r2 = r1 + pw, r3 = r2 + pw
                // B^T d: down the four rows, for even and odd columns alike (pw values per row).
                rowTransform(r0, r1, r2, r3, into: t, stride: pw, count: pw)
                // (B^T d) B: along each row, one output per tile, from the even (a, c) and odd (b, e) columns.
                for r in 0..<4 {
                    let ev = UnsafePointer(t + r * pw), od = ev + half
                    let out = v + (r * 4 * cIn + ic) * ldv + i * tilesX
                    let o1 = out + kStride, o2 = o1 + kStride, o3 = o2 + kStride
                    var tx = 0
                    while tx + 8 <= tilesX {
                        let a = load8(ev + tx), b = load8(od + tx), c = load8(ev + tx + 1), e = load8(od + tx + 1)
                        store8(a - c, out + tx)
                        store8(b + c, o1 + tx)
                        store8(c - b, o2 + tx)
                        store8(b - e, o3 + tx)
                        tx += 8
                    }
                    while tx < tilesX {
                        let a = ev[tx], b = od[tx], c = ev[tx + 1], e = od[tx + 1]
                        out[tx] = a - c
                        o1[tx] = b + c
                        o2[tx] = c - b
                        o3[tx] = b - e
                        tx += 1
                    }
                }
            }
        }
        // No clean-up: rows inside the input are rewritten before every use, the border is never written.
    }

    /// `t0 = r0 - r2, t1 = r1 + r2, t2 = r2 - r1, t3 = r1 - r3` over `count` columns, rows `stride` apart.
    @inline(__always)
    private func rowTransform(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                              _ r3: UnsafePointer<Float>, into t: UnsafeMutablePointer<Float>, stride: Int, count: Int) {
        let t0 = t, t1 = t0 + stride, t2 = t1 + stride, t3 = t2 + stride
        var x = 0
        while x + 8 <= count {
            let d0 = load8(r0 + x), d1 = load8(r1 + x), d2 = load8(r2 + x), d3 = load8(r3 + x)
            store8(d0 - d2, t0 + x)
            store8(d1 + d2, t1 + x)
            store8(d2 - d1, t2 + x)
            store8(d1 - d3, t3 + x)
            x += 8
        }
        while x < count {
            t0[x] = r0[x] - r2[x]
            t1[x] = r1[x] + r2[x]
            t2[x] = r2[x] - r1[x]
            t3[x] = r1[x] - r3[x]
            x += 1
        }
    }

    /// `Y = A^T M A + bias` for tile rows `rows` of one sample, written into its output planes:
    /// eight tiles at a time into even and odd column runs, then interleaved into the two rows.
    private func transformOutput(_ m: UnsafePointer<Float>, ldm: Int, rows: Range<Int>, tilesX: Int,
                                 outH: Int, outW: Int, bias: [Float], sample: Int,
                                 into dst: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue,
                                 staging: UnsafeMutablePointer<Float>) {
        let cOut = outChannels
        let ks = cOut * ldm
        let y00 = staging, y01 = y00 + tilesX, y10 = y01 + tilesX, y11 = y10 + tilesX
        for oc in 0..<cOut {
            let b = bias[oc], bv = SIMD8<Float>(repeating: b)
            let plane = dst + (sample * cOut + oc) * outH * outW
            for (i, ty) in rows.enumerated() {
                let p = m + oc * ldm + i * tilesX
                // A^T = [[1,1,1,0],[0,1,-1,-1]]: rows first, then columns.
                var tx = 0
                while tx + 8 <= tilesX {
                    let q = p + tx
                    let m0 = load8(q), m1 = load8(q + ks), m2 = load8(q + 2 * ks), m3 = load8(q + 3 * ks)
                    let m4 = load8(q + 4 * ks), m5 = load8(q + 5 * ks), m6 = load8(q + 6 * ks), m7 = load8(q + 7 * ks)
                    let m8 = load8(q + 8 * ks), m9 = load8(q + 9 * ks), m10 = load8(q + 10 * ks), m11 = load8(q + 11 * ks)
                    let m12 = load8(q + 12 * ks), m13 = load8(q + 13 * ks), m14 = load8(q + 14 * ks), m15 = load8(q + 15 * ks)
                    let q0 = m0 + m4 + m8, q1 = m1 + m5 + m9, q2 = m2 + m6 + m10, q3 = m3 + m7 + m11
                    let q4 = m4 - m8 - m12, q5 = m5 - m9 - m13, q6 = m6 - m10 - m14, q7 = m7 - m11 - m15
                    store8(q0 + q1 + q2 + bv, y00 + tx)
                    store8(q1 - q2 - q3 + bv, y01 + tx)
                    store8(q4 + q5 + q6 + bv, y10 + tx)
                    store8(q5 - q6 - q7 + bv, y11 + tx)
                    tx += 8
                }
                while tx < tilesX {
                    let q = p + tx
                    let m0 = q[0], m1 = q[ks], m2 = q[2 * ks], m3 = q[3 * ks]
                    let m4 = q[4 * ks], m5 = q[5 * ks], m6 = q[6 * ks], m7 = q[7 * ks]
                    let m8 = q[8 * ks], m9 = q[9 * ks], m10 = q[10 * ks], m11 = q[11 * ks]
                    let m12 = q[12 * ks], m13 = q[13 * ks], m14 = q[14 * ks], m15 = q[15 * ks]
                    let q0 = m0 + m4 + m8, q1 = m1 + m5 + m9, q2 = m2 + m6 + m10, q3 = m3 + m7 + m11
                    let q4 = m4 - m8 - m12, q5 = m5 - m9 - m13, q6 = m6 - m10 - m14, q7 = m7 - m11 - m15
                    y00[tx] = q0 + q1 + q2 + b
                    y01[tx] = q1 - q2 - q3 + b
                    y10[tx] = q4 + q5 + q6 + b
                    y11[tx] = q5 - q6 - q7 + b
                    tx += 1
                }
                let oy = ty * 2
                let row0 = plane + oy * outW, row1 = row0 + outW
                let two = oy + 1 < outH
                for x in 0..<outW {
                    row0[x] = x & 1 == 0 ? y00[x >> 1] : y01[x >> 1]
                }
                if two {
                    for x in 0..<outW {
                        row1[x] = x & 1 == 0 ? y10[x >> 1] : y11[x >> 1]
                    }
                }
                epilogue.apply(row0, count: two ? 2 * outW : outW, sample: sample, channel: oc, offset: oy * outW)
            }
        }
    }
}
