import Common

/// MTCNN's second and third stages: R-Net and O-Net over patches cut from the candidates, batched.
struct RefineStage {
    let rnet: PatchNetwork
    let onet: PatchNetwork
    /// Patches per network call: big enough for wide products, small enough for flat memory.
    static let rnetBatch = 64
    static let onetBatch = 16

    /// Patches a network call compiles for: `n` rounded up to a multiple of 8, so a video's frames
    /// share a few compiled shapes (both batch limits are multiples of 8).
    static func slots(_ n: Int) -> Int { (n + 7) / 8 * 8 }

    /// Cuts `size x size` normalised patches for `boxes` into `scratch`'s input slot, laid out
    /// `[slots][3][size][size]` as the networks read them; the slots past the boxes are zero.
    static func patches(_ image: RGBImage, lut: UnsafePointer<Float>, boxes: ArraySlice<MTCNNCandidate>,
                        size: Int, scratch: MTCNNScratch) {
        let n = boxes.count, plane = size * size, slots = slots(n)
        let base = scratch.buffer(.input, count: 3 * slots * plane)
        for (k, b) in boxes.enumerated() {
            PatchSampler.sample(image, lut: lut, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, size: size,
                                into: base + 3 * k * plane, planeStride: plane)
        }
        (base + 3 * n * plane).update(repeating: 0, count: 3 * (slots - n) * plane)
    }

    /// R-Net: new scores, regressed boxes, threshold, suppression (union 0.7), squared.
    func refine(_ image: RGBImage, lut: UnsafePointer<Float>, candidates: [MTCNNCandidate],
                threshold: Double, scratch: MTCNNScratch) throws -> [MTCNNCandidate] {
        var passed = [MTCNNCandidate]()
        var start = 0
        while start < candidates.count {
            let end = min(candidates.count, start + RefineStage.rnetBatch)
            RefineStage.patches(image, lut: lut, boxes: candidates[start..<end], size: 24, scratch: scratch)
            let out = try rnet.forward(n: end - start, slots: RefineStage.slots(end - start), scratch: scratch)
            for k in 0..<(end - start) {
                let o = out + k * 6
                var c = candidates[start + k]
                c.score = Double(faceProbability(o[4], o[5]))
                c = c.regressed(o[0], o[1], o[2], o[3])
                if c.score > threshold { passed.append(c) }
            }
            start = end
        }
        let sorted = NonMaxSuppression.descendingOrder(passed.map(\.score)).map { passed[$0] }
        let kept = NonMaxSuppression.keep(sorted.map(NonMaxSuppression.corners),
                                          threshold: MTCNNOptions.nmsRNet, method: .union)
        return kept.map { sorted[$0].squared() }
    }

    /// O-Net: landmarks (placed in the box before regression, as the package does), new scores,
    /// regressed boxes, threshold, suppression (intersection over the smaller box, 0.7).
    func output(_ image: RGBImage, lut: UnsafePointer<Float>, candidates: [MTCNNCandidate],
                threshold: Double, scratch: MTCNNScratch) throws -> [(MTCNNCandidate, [Double])] {
        var passed = [(MTCNNCandidate, [Double])]()
        var start = 0
        while start < candidates.count {
            let end = min(candidates.count, start + RefineStage.onetBatch)
            RefineStage.patches(image, lut: lut, boxes: candidates[start..<end], size: 48, scratch: scratch)
            let out = try onet.forward(n: end - start, slots: RefineStage.slots(end - start), scratch: scratch)
            for k in 0..<(end - start) {
                let o = out + k * 16
                var c = candidates[start + k]
                // numpy multiplies the float32 outputs by the double box size and stores the sum
                // back into the float32 array.
                let w = c.x2 - c.x1 + 1, h = c.y2 - c.y1 + 1
                var marks = [Double](repeating: 0, count: 10)
                for i in 0..<5 {
                    marks[i] = Double(Float(w * Double(o[4 + i]) + c.x1 - 1))
                    marks[5 + i] = Double(Float(h * Double(o[9 + i]) + c.y1 - 1))
                }
                c.score = Double(faceProbability(o[14], o[15]))
                c = c.regressed(o[0], o[1], o[2], o[3])
                if c.score > threshold { passed.append((c, marks)) }
            }
            start = end
        }
        let sorted = NonMaxSuppression.descendingOrder(passed.map(\.0.score)).map { passed[$0] }
        let kept = NonMaxSuppression.keep(sorted.map { NonMaxSuppression.corners($0.0) },
                                          threshold: MTCNNOptions.nmsONet, method: .minimum)
        return kept.map { sorted[$0] }
    }
}
