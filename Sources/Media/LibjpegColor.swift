import CFFmpeg
import Common

/// Converts decoded JPEG pictures (full-range 8-bit YCbCr, 4:4:4, 4:2:2 or 4:2:0) to RGB the way
/// libjpeg-turbo does by default, and therefore the way PIL does: "fancy" triangular chroma
/// upsampling (jdsample.c) and libjpeg's fixed-point YCbCr→RGB tables (jdcolor.c). swscale gets
/// close but not equal; the face models' golden files were made from PIL-decoded pixels.
enum LibjpegColor {
    private static let scaleBits = 16
    private static let oneHalf = 1 << 15
    private static func fix(_ x: Double) -> Int { Int(x * 65536 + 0.5) }
    private static let crToR: [Int] = (0..<256).map { (fix(1.40200) * ($0 - 128) + oneHalf) >> scaleBits }
    private static let cbToB: [Int] = (0..<256).map { (fix(1.77200) * ($0 - 128) + oneHalf) >> scaleBits }
    private static let crToG: [Int] = (0..<256).map { -fix(0.71414) * ($0 - 128) }
    private static let cbToG: [Int] = (0..<256).map { -fix(0.34414) * ($0 - 128) + oneHalf }

    /// The chroma subsampling this converter handles for a frame, or nil (then swscale converts).
    static func subsampling(of frame: UnsafePointer<AVFrame>) -> (h: Int, v: Int)? {
        let f = frame.pointee
        guard f.width > 2, f.height > 2 else { return nil }
        switch AVPixelFormat(rawValue: f.format) {
        case AV_PIX_FMT_YUVJ444P: return (1, 1)
        case AV_PIX_FMT_YUVJ422P: return (2, 1)
        case AV_PIX_FMT_YUVJ420P: return (2, 2)
        case AV_PIX_FMT_YUV444P where f.color_range == AVCOL_RANGE_JPEG: return (1, 1)
        case AV_PIX_FMT_YUV422P where f.color_range == AVCOL_RANGE_JPEG: return (2, 1)
        case AV_PIX_FMT_YUV420P where f.color_range == AVCOL_RANGE_JPEG: return (2, 2)
        default: return nil
        }
    }

    /// Converts a frame for which `subsampling(of:)` is not nil.
    static func convert(_ frame: UnsafePointer<AVFrame>, subsampling: (h: Int, v: Int)) -> RGBImage? {
        let f = frame.pointee
        let width = Int(f.width), height = Int(f.height)
        guard let yPlane = f.data.0, let cbPlane = f.data.1, let crPlane = f.data.2 else { return nil }
        let yStride = Int(f.linesize.0), cbStride = Int(f.linesize.1), crStride = Int(f.linesize.2)
        let chromaWidth = (width + subsampling.h - 1) / subsampling.h
        let chromaHeight = (height + subsampling.v - 1) / subsampling.v
        var cbRow = [Int](repeating: 0, count: chromaWidth * 2 + 2)
        var crRow = cbRow
        var sums = [Int](repeating: 0, count: chromaWidth)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let chromaY = y / subsampling.v
                for (plane, stride, isCb) in [(cbPlane, cbStride, true), (crPlane, crStride, false)] {
                    let current = plane + chromaY * stride
                    let upsampled: [Int]
                    if subsampling.v == 2 {
                        // Rows above the first and below the last repeat the edge row.
                        let neighbourY = y % 2 == 0 ? max(chromaY - 1, 0) : min(chromaY + 1, chromaHeight - 1)
                        let neighbour = plane + neighbourY * stride
                        for i in 0..<chromaWidth { sums[i] = Int(current[i]) * 3 + Int(neighbour[i]) }
                        upsampled = h2v2Row(sums)
                    } else if subsampling.h == 2 {
                        upsampled = h2v1Row((0..<chromaWidth).map { Int(current[$0]) })
                    } else {
                        upsampled = (0..<width).map { Int(current[$0]) }
                    }
                    if isCb { cbRow = upsampled } else { crRow = upsampled }
                }
                let luma = yPlane + y * yStride
                var o = y * width * 3
                for x in 0..<width {
                    let (r, g, b) = rgb(Int(luma[x]), cbRow[x], crRow[x])
                    out[o] = r; out[o + 1] = g; out[o + 2] = b
                    o += 3
                }
            }
        }
        return RGBImage(width: width, height: height, stride: width * 3, pixels: pixels)
    }

    /// jdcolor.c ycc_rgb_convert for one pixel.
    @inline(__always) static func rgb(_ y: Int, _ cb: Int, _ cr: Int) -> (UInt8, UInt8, UInt8) {
        (clamp(y + crToR[cr]), clamp(y + ((cbToG[cb] + crToG[cr]) >> scaleBits)), clamp(y + cbToB[cb]))
    }

    @inline(__always) private static func clamp(_ v: Int) -> UInt8 { UInt8(min(max(v, 0), 255)) }

    /// jdsample.c h2v2_fancy_upsample on one row of column sums (3 × nearer row + farther row).
    static func h2v2Row(_ c: [Int]) -> [Int] {
        let n = c.count
        var out = [Int](repeating: 0, count: 2 * n)
        out[0] = (c[0] * 4 + 8) >> 4
        out[1] = (c[0] * 3 + c[1] + 7) >> 4
        for i in 1..<(n - 1) {
            out[2 * i] = (c[i] * 3 + c[i - 1] + 8) >> 4
            out[2 * i + 1] = (c[i] * 3 + c[i + 1] + 7) >> 4
        }
        out[2 * n - 2] = (c[n - 1] * 3 + c[n - 2] + 8) >> 4
        out[2 * n - 1] = (c[n - 1] * 4 + 7) >> 4
        return out
    }

    /// jdsample.c h2v1_fancy_upsample on one chroma row.
    static func h2v1Row(_ row: [Int]) -> [Int] {
        let n = row.count
        var out = [Int](repeating: 0, count: 2 * n)
        out[0] = row[0]
        out[1] = (row[0] * 3 + row[1] + 2) >> 2
        for i in 1..<(n - 1) {
            out[2 * i] = (row[i] * 3 + row[i - 1] + 1) >> 2
            out[2 * i + 1] = (row[i] * 3 + row[i + 1] + 2) >> 2
        }
        out[2 * n - 2] = (row[n - 1] * 3 + row[n - 2] + 1) >> 2
        out[2 * n - 1] = row[n - 1]
        return out
    }
}
