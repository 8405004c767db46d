import Common

/// MTCNN's first stage: P-Net over every pyramid level, turning its maps into candidate boxes.
///
/// Levels are resized and scanned in horizontal bands of output rows so that memory stays flat
/// whatever the image size. P-Net's receptive field makes that exact: output rows `[r0, r1)` depend
/// on level rows `[2 r0, 2 r1 + 10)` only, and an even first row keeps the max-pool grid aligned.
struct ProposalStage {
    let pnet: PNet
    /// Upper bound on the values of one band's input tensor. At 512 K floats the chain's workspace
    /// (the first convolution's 10 channels padded to oneDNN's 16-channel blocks, and the next
    /// layer's output) stays around 16 MB per call in flight, while the 10 overlap rows per band
    /// cost under 10 %.
    var bandInputBudget = 1 << 19

    /// Candidates of one pyramid level, in detection-image pixels, sorted by descending score and
    /// thinned by the per-level suppression (union 0.5), as the package's `StagePNet` leaves them.
    func proposals(_ image: RGBImage, lut: UnsafePointer<Float>, level: MTCNNPyramid.Level,
                   threshold: Double, scratch: MTCNNScratch = MTCNNScratch()) throws -> [MTCNNCandidate] {
        let mapH = PNet.outputSize(level.height), mapW = PNet.outputSize(level.width)
        guard mapH > 0, mapW > 0 else { return [] }
        let resizer = AreaResizer(sourceWidth: image.width, sourceHeight: image.height,
                                  width: level.width, height: level.height)
        let bandRows = max(1, (bandInputBudget / (3 * level.width) - 10) / 2)
        // The package compares float32 probabilities with the threshold cast to float32.
        let cut = Float(threshold)
        var found = [MTCNNCandidate]()
        var r0 = 0
        while r0 < mapH {
            let r1 = min(mapH, r0 + bandRows)
            let rows = (2 * r0)..<min(level.height, 2 * r1 + 10)
            let input = scratch.buffer(.input, count: 3 * rows.count * level.width)
            resizer.resize(image, lut: lut, rows: rows, into: input, planeStride: rows.count * level.width)
            let m = try pnet.forward(h: rows.count, w: level.width, scratch: scratch)
            let plane = (r1 - r0) * mapW
            for y in 0..<(r1 - r0) {
                for x in 0..<mapW {
                    let i = y * mapW + x
                    let p = faceProbability(m[4 * plane + i], m[5 * plane + i])
                    guard p > cut else { continue }
                    // The package's generate_bounding_box: cell corners (2x + 1, 2y + 1) and
                    // (2x + 12, 2y + 12), offsets scaled by the corners' distance, 11 (float32
                    // offsets, double arithmetic).
                    let gx = Double(2 * x), gy = Double(2 * (y + r0))
                    found.append(MTCNNCandidate(
                        x1: (gx + 1 + Double(m[i]) * 11) / level.scale,
                        y1: (gy + 1 + Double(m[plane + i]) * 11) / level.scale,
                        x2: (gx + 12 + Double(m[2 * plane + i]) * 11) / level.scale,
                        y2: (gy + 12 + Double(m[3 * plane + i]) * 11) / level.scale,
                        score: Double(p)))
                }
            }
            r0 = r1
        }
        let sorted = NonMaxSuppression.descendingOrder(found.map(\.score)).map { found[$0] }
        let kept = NonMaxSuppression.keep(sorted.map(NonMaxSuppression.corners),
                                          threshold: MTCNNOptions.nmsPNetPerScale, method: .union)
        return kept.map { sorted[$0] }
    }

    /// All levels' candidates merged, suppressed across levels (union 0.7) and squared.
    /// Each level maps its source rows from bytes again rather than sharing one float copy of the
    /// frame: at 1080p that copy is 25 MB, read once per level, and reading the bytes was measured
    /// faster (docs/benchmarks.md, "1080p CCTV").
    func run(_ image: RGBImage, lut: UnsafePointer<Float>, levels: [MTCNNPyramid.Level],
             threshold: Double, scratch: MTCNNScratch) throws -> [MTCNNCandidate] {
        var all = [MTCNNCandidate]()
        for level in levels {
            all += try proposals(image, lut: lut, level: level, threshold: threshold, scratch: scratch)
        }
        let sorted = NonMaxSuppression.descendingOrder(all.map(\.score)).map { all[$0] }
        let kept = NonMaxSuppression.keep(sorted.map(NonMaxSuppression.corners),
                                          threshold: MTCNNOptions.nmsPNetAcrossScales, method: .union)
        return kept.map { sorted[$0].squared() }
    }
}
