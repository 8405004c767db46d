@testable import FaceEngine

/// Deliberately simple, loop-by-loop reference implementations the optimised kernels are tested
/// against. They share nothing with the kernels except the `SpatialPadding` output-size rules,
/// which have their own tests.
enum Naive {
    /// Deterministic pseudo-random values in [-1, 1) (a fixed LCG, so failures reproduce).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int((state >> 33) % 2000) - 1000) / 1000
        }
    }

    static func tensor(_ n: Int, _ c: Int, _ h: Int, _ w: Int, seed: UInt64) -> Tensor {
        Tensor(n: n, c: c, h: h, w: w, data: values(n * c * h * w, seed: seed))
    }

    static func conv(_ x: Tensor, weights: [Float], bias: [Float], outC: Int, kh: Int, kw: Int,
                     sy: Int, sx: Int, padding: SpatialPadding) -> Tensor {
        let gy = padding.resolve(input: x.h, kernel: kh, stride: sy, axisIsY: true)
        let gx = padding.resolve(input: x.w, kernel: kw, stride: sx, axisIsY: false)
        var out = Tensor(n: x.n, c: outC, h: gy.output, w: gx.output)
        for i in 0..<x.n {
            for oc in 0..<outC {
                for oy in 0..<gy.output {
                    for ox in 0..<gx.output {
                        var s = Double(bias[oc])
                        for ic in 0..<x.c {
                            for ky in 0..<kh {
                                for kx in 0..<kw {
                                    let iy = oy * sy - gy.padBefore + ky
                                    let ix = ox * sx - gx.padBefore + kx
                                    guard iy >= 0, iy < x.h, ix >= 0, ix < x.w else { continue }
                                    s += Double(weights[((oc * x.c + ic) * kh + ky) * kw + kx]) * Double(x[i, ic, iy, ix])
                                }
                            }
                        }
                        out[i, oc, oy, ox] = Float(s)
                    }
                }
            }
        }
        return out
    }

    static func pool(_ x: Tensor, kh: Int, kw: Int, sy: Int, sx: Int, padding: SpatialPadding, max: Bool) -> Tensor {
        let gy = padding.resolve(input: x.h, kernel: kh, stride: sy, axisIsY: true)
        let gx = padding.resolve(input: x.w, kernel: kw, stride: sx, axisIsY: false)
        var out = Tensor(n: x.n, c: x.c, h: gy.output, w: gx.output)
        for i in 0..<x.n {
            for k in 0..<x.c {
                for oy in 0..<gy.output {
                    for ox in 0..<gx.output {
                        var best = -Float.infinity
                        var sum = 0.0, count = 0
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let iy = oy * sy - gy.padBefore + ky, ix = ox * sx - gx.padBefore + kx
                                guard iy >= 0, iy < x.h, ix >= 0, ix < x.w else { continue }
                                best = Swift.max(best, x[i, k, iy, ix])
                                sum += Double(x[i, k, iy, ix])
                                count += 1
                            }
                        }
                        out[i, k, oy, ox] = max ? best : Float(sum / Double(count))
                    }
                }
            }
        }
        return out
    }
}
