import Common

/// TensorFlow's `crop_and_resize` (bilinear, extrapolation value 0), with which the `mtcnn` package
/// cuts each candidate box out of the normalised image for R-Net (24x24) and O-Net (48x48). Boxes
/// are given in pixels; like the package, they are divided by the image size in double precision,
/// handed over as float32, and mapped back onto the `size - 1` pixel grid the kernel uses.
enum PatchSampler {
    /// Samples one box into three planes of `size * size` values at `out`, `planeStride` apart.
    /// Sample positions outside the image get 0 (i.e. the normalised value of mid-grey).
    static func sample(_ image: RGBImage, lut: UnsafePointer<Float>,
                       x1: Double, y1: Double, x2: Double, y2: Double, size: Int,
                       into out: UnsafeMutablePointer<Float>, planeStride: Int) {
        let w = image.width, h = image.height
        let ny1 = Float(y1 / Double(h)), nx1 = Float(x1 / Double(w))
        let ny2 = Float(y2 / Double(h)), nx2 = Float(x2 / Double(w))
        let hm1 = Float(h - 1), wm1 = Float(w - 1)
        let yStep = size > 1 ? (ny2 - ny1) * hm1 / Float(size - 1) : 0
        let xStep = size > 1 ? (nx2 - nx1) * wm1 / Float(size - 1) : 0
        // The columns every row samples, computed once per patch: left and right source pixel
        // offsets (-1: outside the image) and the weight between them.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * size) { offsets in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: size) { xLerps in
                guard let lefts = offsets.baseAddress, let lerps = xLerps.baseAddress else { return }
                let rights = lefts + size
                for x in 0..<size {
                    let inX = size > 1 ? nx1 * wm1 + Float(x) * xStep : 0.5 * (nx1 + nx2) * wm1
                    guard inX >= 0, inX <= wm1 else {
                        lefts[x] = -1
                        continue
                    }
                    let left = Int(inX.rounded(.down))
                    lefts[x] = 3 * left
                    rights[x] = 3 * Int(inX.rounded(.up))
                    lerps[x] = inX - Float(left)
                }
                image.pixels.withUnsafeBufferPointer { pixels in
                    guard let base = pixels.baseAddress else { return }
                    for y in 0..<size {
                        let inY = size > 1 ? ny1 * hm1 + Float(y) * yStep : 0.5 * (ny1 + ny2) * hm1
                        let rowOut = y * size
                        guard inY >= 0, inY <= hm1 else {
                            for x in 0..<size {
                                out[rowOut + x] = 0
                                out[planeStride + rowOut + x] = 0
                                out[2 * planeStride + rowOut + x] = 0
                            }
                            continue
                        }
                        let top = Int(inY.rounded(.down))
                        let bottom = Int(inY.rounded(.up))
                        let yLerp = inY - Float(top)
                        let topRow = base + top * image.stride
                        let bottomRow = base + bottom * image.stride
                        for x in 0..<size {
                            let left = lefts[x]
                            guard left >= 0 else {
                                out[rowOut + x] = 0
                                out[planeStride + rowOut + x] = 0
                                out[2 * planeStride + rowOut + x] = 0
                                continue
                            }
                            let right = rights[x], xLerp = lerps[x]
                            for c in 0..<3 {
                                let tl = lut[Int(topRow[left + c])]
                                let tr = lut[Int(topRow[right + c])]
                                let bl = lut[Int(bottomRow[left + c])]
                                let br = lut[Int(bottomRow[right + c])]
                                let t = tl + (tr - tl) * xLerp
                                let b = bl + (br - bl) * xLerp
                                out[c * planeStride + rowOut + x] = t + (b - t) * yLerp
                            }
                        }
                    }
                }
            }
        }
    }
}
