import Common

/// Cuts an aligned face chip out of an image with the semantics of dlib's `extract_image_chip`:
/// when the chip is much smaller than its source rectangle, the covering region of the image is
/// first reduced with `pyramid_down<2>` until one more level would undersample, then the chip is
/// bilinearly sampled (values truncated to bytes; outside the image is black).
public enum FaceChip {
    /// The chip described by `details`, `details.rows x details.cols` pixels.
    public static func extract(from image: RGBImage, details: ChipDetails) -> RGBImage {
        let chipArea = Double(details.rows * details.cols)
        var rect = PyramidDown.rectDown(details.rect)
        var depth = 0
        var grow = 2.0
        while rect.area > chipArea {
            rect = PyramidDown.rectDown(rect)
            depth += 1
            grow = grow * 2 + 2
        }
        let c = details.rect.center
        let corners = [details.rect.topLeft, details.rect.topRight, details.rect.bottomLeft, details.rect.bottomRight]
            .map { rotatePoint(center: c, $0, angle: details.angle) }
        var rotated = DRect(left: 1, top: 1, right: 0, bottom: 0)
        for p in corners { rotated = rotated.union(DRect(p, p)) }
        let whole = DRect(left: 0, top: 0, right: Double(image.width - 1), bottom: Double(image.height - 1))
        let box = rotated.grown(by: grow).intersect(whole).lrounded

        var chip = RGBImage(width: max(details.cols, 1), height: max(details.rows, 1))
        if details.angle == 0 && Double(details.rows) == details.rect.height && Double(details.cols) == details.rect.width {
            copyUnscaled(image, details.rect.lrounded, into: &chip)
            return chip
        }
        guard !box.isEmpty, let region = crop(image, box) else { return chip }
        var source = region
        var level = -1
        rect = details.rect.translated(by: DPoint(x: -Double(box.left), y: -Double(box.top)))
        while PyramidDown.rectDown(rect).area > chipArea {
            level += 1
            rect = PyramidDown.rectDown(rect)
        }
        if level >= 0 {
            for _ in 0...level {
                guard let down = PyramidDown.apply(source) else { return chip }
                source = down
            }
        }
        let rc = rect.center
        let to = [rect.topLeft, rect.topRight, rect.bottomLeft].map { rotatePoint(center: rc, $0, angle: details.angle) }
        let from = [DPoint(x: 0, y: 0), DPoint(x: Double(details.cols - 1), y: 0), DPoint(x: 0, y: Double(details.rows - 1))]
        let map = AffineMap.through(from: from, to: to)
        // Coincident landmarks give a degenerate transform; there is nothing to sample then.
        guard [map.m00, map.m01, map.m10, map.m11, map.tx, map.ty].allSatisfy({ $0.isFinite }) else { return chip }
        sampleBilinear(source, map: map, into: &chip)
        return chip
    }

    /// The sub-image inside `box` (already clipped to the image).
    static func crop(_ image: RGBImage, _ box: FaceRect) -> RGBImage? {
        guard box.width > 0, box.height > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: box.width * box.height * 3)
        for r in 0..<box.height {
            let src = (box.top + r) * image.stride + box.left * 3
            for i in 0..<(box.width * 3) { out[r * box.width * 3 + i] = image.pixels[src + i] }
        }
        return RGBImage(width: box.width, height: box.height, pixels: out)
    }

    /// dlib's `transform_image` with `interpolate_bilinear` and a black background.
    static func sampleBilinear(_ src: RGBImage, map: AffineMap, into chip: inout RGBImage) {
        let w = chip.width
        src.pixels.withUnsafeBufferPointer { px in
            chip.pixels.withUnsafeMutableBufferPointer { out in
                for r in 0..<chip.height {
                    for c in 0..<w {
                        let p = map(DPoint(x: Double(c), y: Double(r)))
                        let left = Int(p.x.rounded(.down)), top = Int(p.y.rounded(.down))
                        let o = (r * w + c) * 3
                        guard left >= 0, top >= 0, left + 1 < src.width, top + 1 < src.height else {
                            out[o] = 0; out[o + 1] = 0; out[o + 2] = 0
                            continue
                        }
                        let lr = p.x - Double(left), tb = p.y - Double(top)
                        let tl = top * src.stride + left * 3, bl = tl + src.stride
                        for ch in 0..<3 {
                            let v = (1 - tb) * ((1 - lr) * Double(px[tl + ch]) + lr * Double(px[tl + 3 + ch]))
                                + tb * ((1 - lr) * Double(px[bl + ch]) + lr * Double(px[bl + 3 + ch]))
                            out[o + ch] = UInt8(v)
                        }
                    }
                }
            }
        }
    }

    /// dlib's `basic_extract_image_chip`: a plain copy with a black border where `location`
    /// leaves the image.
    static func copyUnscaled(_ image: RGBImage, _ location: FaceRect, into chip: inout RGBImage) {
        for r in 0..<chip.height {
            for c in 0..<chip.width {
                let y = location.top + r, x = location.left + c
                guard y >= 0, y < image.height, x >= 0, x < image.width else { continue }
                for ch in 0..<3 { chip.pixels[(r * chip.width + c) * 3 + ch] = image.pixels[y * image.stride + x * 3 + ch] }
            }
        }
    }
}
