import COpenBLAS

/// Winograd's minimal filtering F(2x2, 3x3) for stride-1 3x3 convolutions: each 4x4 input tile
/// gives a 2x2 output tile with 16 instead of 36 multiplications per channel pair, done as 16
/// products `U[k] (outC x inC) * V[k] (inC x tiles)` over all tiles of the batch. The transforms
/// are Lavin & Gray's; in float32 the result differs from direct convolution by rounding only.
struct Winograd3x3: Sendable {
    let outChannels: Int
    let inChannels: Int
    /// Transformed weights `G g G^T`, laid out `[16][outC][inC]`.
    let transformed: [Float]

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

    /// Convolves with zero padding `padTop`/`padLeft` into an `outH x outW` output, adding `bias`.
    func forward(_ input: Tensor, outH: Int, outW: Int, padTop: Int, padLeft: Int, bias: [Float]) -> Tensor {
        var output = Tensor(n: input.n, c: outChannels, h: outH, w: outW)
        let tilesY = (outH + 1) / 2, tilesX = (outW + 1) / 2
        let perSample = tilesY * tilesX
        let tiles = input.n * perSample
        guard tiles > 0 else { return output }
        let cIn = inChannels, cOut = outChannels
        let v = Scratch(count: 16 * cIn * tiles)
        let m = Scratch(count: 16 * cOut * tiles)
        defer { v.free(); m.free() }
        let ih = input.h, iw = input.w
        input.data.withUnsafeBufferPointer { srcBuf in
            let src = srcBuf.base
            // Input transform: V = B^T d B for every (channel, tile), stored [16][inC][tiles].
            let local = Scratch(count: 32)
            defer { local.free() }
            let d = local.pointer, t = local.pointer + 16
            for s in 0..<input.n {
                for ic in 0..<cIn {
                    let plane = src + (s * cIn + ic) * ih * iw
                    for ty in 0..<tilesY {
                        for tx in 0..<tilesX {
                            let y0 = ty * 2 - padTop, x0 = tx * 2 - padLeft
                            if y0 >= 0, x0 >= 0, y0 + 4 <= ih, x0 + 4 <= iw {
                                for r in 0..<4 {
                                    let row = plane + (y0 + r) * iw + x0
                                    d[r * 4] = row[0]; d[r * 4 + 1] = row[1]; d[r * 4 + 2] = row[2]; d[r * 4 + 3] = row[3]
                                }
                            } else {
                                for r in 0..<4 {
                                    let y = y0 + r
                                    for c in 0..<4 {
                                        let x = x0 + c
                                        d[r * 4 + c] = (y >= 0 && y < ih && x >= 0 && x < iw) ? plane[y * iw + x] : 0
                                    }
                                }
                            }
                            // B^T d (rows), then (B^T d) B (columns).
                            for c in 0..<4 {
                                t[c] = d[c] - d[8 + c]
                                t[4 + c] = d[4 + c] + d[8 + c]
                                t[8 + c] = d[8 + c] - d[4 + c]
                                t[12 + c] = d[4 + c] - d[12 + c]
                            }
                            let tile = s * perSample + ty * tilesX + tx
                            for r in 0..<4 {
                                let a = t[r * 4], b = t[r * 4 + 1], c = t[r * 4 + 2], e = t[r * 4 + 3]
                                let base = ((r * 4) * cIn + ic) * tiles + tile
                                v.pointer[base] = a - c
                                v.pointer[base + cIn * tiles] = b + c
                                v.pointer[base + 2 * cIn * tiles] = c - b
                                v.pointer[base + 3 * cIn * tiles] = b - e
                            }
                        }
                    }
                }
            }
        }
        transformed.withUnsafeBufferPointer { u in
            for k in 0..<16 {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cOut), Int32(tiles), Int32(cIn),
                            1, u.base + k * cOut * cIn, Int32(cIn), v.pointer + k * cIn * tiles, Int32(tiles),
                            0, m.pointer + k * cOut * tiles, Int32(tiles))
            }
        }
        output.data.withUnsafeMutableBufferPointer { dstBuf in
            let dst = dstBuf.base
            let stride = cOut * tiles
            for oc in 0..<cOut {
                let b = bias[oc]
                for s in 0..<input.n {
                    let out = dst + (s * cOut + oc) * outH * outW
                    for ty in 0..<tilesY {
                        for tx in 0..<tilesX {
                            let p = m.pointer + oc * tiles + s * perSample + ty * tilesX + tx
                            // A^T = [[1,1,1,0],[0,1,-1,-1]]: rows first, then columns.
                            var q = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
                            let m0 = p[0], m1 = p[stride], m2 = p[2 * stride], m3 = p[3 * stride]
                            let m4 = p[4 * stride], m5 = p[5 * stride], m6 = p[6 * stride], m7 = p[7 * stride]
                            let m8 = p[8 * stride], m9 = p[9 * stride], m10 = p[10 * stride], m11 = p[11 * stride]
                            let m12 = p[12 * stride], m13 = p[13 * stride], m14 = p[14 * stride], m15 = p[15 * stride]
                            // Row combination (A^T m): two rows of four.
                            q.0 = m0 + m4 + m8; q.1 = m1 + m5 + m9; q.2 = m2 + m6 + m10; q.3 = m3 + m7 + m11
                            q.4 = m4 - m8 - m12; q.5 = m5 - m9 - m13; q.6 = m6 - m10 - m14; q.7 = m7 - m11 - m15
                            let y00 = q.0 + q.1 + q.2 + b, y01 = q.1 - q.2 - q.3 + b
                            let y10 = q.4 + q.5 + q.6 + b, y11 = q.5 - q.6 - q.7 + b
                            let oy = ty * 2, ox = tx * 2
                            out[oy * outW + ox] = y00
                            if ox + 1 < outW { out[oy * outW + ox + 1] = y01 }
                            if oy + 1 < outH {
                                out[(oy + 1) * outW + ox] = y10
                                if ox + 1 < outW { out[(oy + 1) * outW + ox + 1] = y11 }
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
