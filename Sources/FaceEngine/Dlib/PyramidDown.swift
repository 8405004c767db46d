import Common

/// dlib's `pyramid_down<2>`: a separable 5-tap [1 4 6 4 1] filter with 2x decimation in integer
/// arithmetic (sums fit 16 bits, the result is truncated by `/ 256`), output
/// `((rows - 3) / 2) x ((cols - 3) / 2)`; images with 8 or fewer rows or columns become empty.
enum PyramidDown {
    /// A level point's coordinates one level down.
    static func pointDown(_ p: DPoint) -> DPoint { DPoint(x: p.x / 2 - 1.25, y: p.y / 2 - 0.75) }

    /// A rectangle's corners one level down.
    static func rectDown(_ r: DRect) -> DRect { DRect(pointDown(r.topLeft), pointDown(r.bottomRight)) }

    /// One level down; nil when the image is too small (dlib clears it).
    static func apply(_ src: RGBImage) -> RGBImage? {
        guard src.height > 8, src.width > 8 else { return nil }
        let tw = (src.width - 3) / 2
        let outH = (src.height - 3) / 2
        var temp = [Int32](repeating: 0, count: src.height * tw * 3)
        src.pixels.withUnsafeBufferPointer { px in
            for r in 0..<src.height {
                let row = r * src.stride
                for c in 0..<tw {
                    let o = row + 2 * c * 3
                    for ch in 0..<3 {
                        let v = Int32(px[o + ch]) + 4 * Int32(px[o + 3 + ch]) + 6 * Int32(px[o + 6 + ch])
                            + 4 * Int32(px[o + 9 + ch]) + Int32(px[o + 12 + ch])
                        temp[(r * tw + c) * 3 + ch] = v
                    }
                }
            }
        }
        var out = [UInt8](repeating: 0, count: outH * tw * 3)
        var dr = 0
        var r = 2
        while r < src.height - 2 {
            for i in 0..<(tw * 3) {
                let v = temp[(r - 2) * tw * 3 + i] + 4 * temp[(r - 1) * tw * 3 + i] + 6 * temp[r * tw * 3 + i]
                    + 4 * temp[(r + 1) * tw * 3 + i] + temp[(r + 2) * tw * 3 + i]
                out[dr * tw * 3 + i] = UInt8(v / 256)
            }
            dr += 1
            r += 2
        }
        return RGBImage(width: tw, height: outH, pixels: out)
    }
}
