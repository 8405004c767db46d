extension RGBImage {
    /// The pixels of the rectangle from (x, y), `width` by `height`, clipped to the image; nil when
    /// nothing of it lies inside.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> RGBImage? {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x1 > x0, y1 > y0 else { return nil }
        let cw = x1 - x0, ch = y1 - y0
        var out = [UInt8](repeating: 0, count: cw * ch * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for row in 0..<ch {
                    (d + row * cw * 3).update(from: s + (y0 + row) * stride + x0 * 3, count: cw * 3)
                }
            }
        }
        return RGBImage(width: cw, height: ch, pixels: out)
    }
}
