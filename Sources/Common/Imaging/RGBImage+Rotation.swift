extension RGBImage {
    /// The image turned clockwise by 90, 180 or 270 degrees (any other angle returns it unchanged).
    public func rotated(clockwise degrees: Int) -> RGBImage {
        let turn = ((degrees % 360) + 360) % 360
        guard turn == 90 || turn == 180 || turn == 270 else { return self }
        let outWidth = turn == 180 ? width : height
        let outHeight = turn == 180 ? height : width
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    for x in 0..<width {
                        let (tx, ty): (Int, Int)
                        switch turn {
                        case 90: (tx, ty) = (height - 1 - y, x)
                        case 180: (tx, ty) = (width - 1 - x, height - 1 - y)
                        default: (tx, ty) = (y, width - 1 - x)
                        }
                        let s = y * stride + x * 3, d = (ty * outWidth + tx) * 3
                        dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, stride: outWidth * 3, pixels: out) ?? self
    }
}
