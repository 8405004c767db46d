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

    /// One band of a level: P-Net's output rows `r0..<r1` from the level's `rows`.
    struct Band {
        let r0: Int, r1: Int
        let rows: Range<Int>
    }

    /// The bands P-Net scans `level` in (none when the level is too small for P-Net's window).
    func bands(_ level: MTCNNPyramid.Level) -> [Band] { Self.bands(level, inputBudget: bandInputBudget) }

    /// The bands of `level` whose inputs hold at most `inputBudget` floats (at least one row of output).
    static func bands(_ level: MTCNNPyramid.Level, inputBudget: Int) -> [Band] {
        let mapH = PNet.outputSize(level.height), mapW = PNet.outputSize(level.width)
        guard mapH > 0, mapW > 0 else { return [] }
        let bandRows = max(1, (inputBudget / (3 * level.width) - 10) / 2)
        return stride(from: 0, to: mapH, by: bandRows).map { r0 in
            let r1 = min(mapH, r0 + bandRows)
            return Band(r0: r0, r1: r1, rows: (2 * r0)..<min(level.height, 2 * r1 + 10))
        }
    }

    /// Candidates of one pyramid level, in detection-image pixels, sorted by descending score and
    /// thinned by the per-level suppression (union 0.5), as the package's `StagePNet` leaves them.
    /// The level is resized on its own, band by band (`run` resizes all levels in one sweep).
    func proposals(_ image: RGBImage, lut: UnsafePointer<Float>, level: MTCNNPyramid.Level,
                   threshold: Double, scratch: MTCNNScratch = MTCNNScratch()) throws -> [MTCNNCandidate] {
        let resizer = AreaResizer(sourceWidth: image.width, sourceHeight: image.height,
                                  width: level.width, height: level.height)
        var found = [MTCNNCandidate]()
        for band in bands(level) {
            let input = scratch.buffer(.input, count: 3 * band.rows.count * level.width)
            resizer.resize(image, lut: lut, rows: band.rows, into: input, planeStride: band.rows.count * level.width)
            try scan(band, of: level, input: input, threshold: threshold, scratch: scratch, into: &found)
        }
        return suppressed(found)
    }

    /// P-Net over one band (its three planes at `input`); the cells above `threshold` appended.
    private func scan(_ band: Band, of level: MTCNNPyramid.Level, input: UnsafePointer<Float>, threshold: Double,
                      scratch: MTCNNScratch, into found: inout [MTCNNCandidate]) throws {
        let mapW = PNet.outputSize(level.width)
        let m = try pnet.forward(h: band.rows.count, w: level.width, input: input, scratch: scratch)
        // The package compares float32 probabilities with the threshold cast to float32.
        let cut = Float(threshold)
        let plane = (band.r1 - band.r0) * mapW
        for y in 0..<(band.r1 - band.r0) {
            for x in 0..<mapW {
                let i = y * mapW + x
                let p = faceProbability(m[4 * plane + i], m[5 * plane + i])
                guard p > cut else { continue }
                // The package's generate_bounding_box: cell corners (2x + 1, 2y + 1) and
                // (2x + 12, 2y + 12), offsets scaled by the corners' distance, 11 (float32
                // offsets, double arithmetic).
                let gx = Double(2 * x), gy = Double(2 * (y + band.r0))
                found.append(MTCNNCandidate(
                    x1: (gx + 1 + Double(m[i]) * 11) / level.scale,
                    y1: (gy + 1 + Double(m[plane + i]) * 11) / level.scale,
                    x2: (gx + 12 + Double(m[2 * plane + i]) * 11) / level.scale,
                    y2: (gy + 12 + Double(m[3 * plane + i]) * 11) / level.scale,
                    score: Double(p)))
            }
        }
    }

    /// A level's candidates by descending score, thinned by the per-level suppression.
    private func suppressed(_ found: [MTCNNCandidate]) -> [MTCNNCandidate] {
        let sorted = NonMaxSuppression.descendingOrder(found.map(\.score)).map { found[$0] }
        let kept = NonMaxSuppression.keep(sorted.map(NonMaxSuppression.corners),
                                          threshold: MTCNNOptions.nmsPNetPerScale, method: .union)
        return kept.map { sorted[$0] }
    }

    /// All levels' candidates merged, suppressed across levels (union 0.7) and squared.
    /// The levels are resized together in one pass over the image's rows (`PyramidSweep`): level by
    /// level, a 1080p frame's 6 MB of bytes were read and mapped to floats once per level. Each
    /// band goes to P-Net as soon as it is complete; a level's candidates are the same, in the
    /// same order, as `proposals` gives.
    func run(_ image: RGBImage, lut: UnsafePointer<Float>, levels: [MTCNNPyramid.Level],
             threshold: Double, scratch: MTCNNScratch) throws -> [MTCNNCandidate] {
        let plans = levels.map(bands)
        let scanned = levels.indices.filter { !plans[$0].isEmpty }
        let sweep = PyramidSweep(levels: scanned.map { l in
            PyramidSweep.Level(resizer: AreaResizer(sourceWidth: image.width, sourceHeight: image.height,
                                                    width: levels[l].width, height: levels[l].height),
                               bands: plans[l].map(\.rows))
        })
        var found = [[MTCNNCandidate]](repeating: [], count: levels.count)
        try sweep.run(image, lut: lut, scratch: scratch.buffer(.pyramid, count: sweep.scratchFloats)) { k, b, planes in
            let l = scanned[k]
            try scan(plans[l][b], of: levels[l], input: planes, threshold: threshold, scratch: scratch, into: &found[l])
        }
        return merged(found.map(suppressed))
    }

    /// The levels' candidates (each as `proposals` gives them) suppressed across levels and squared.
    func merged(_ levels: [[MTCNNCandidate]]) -> [MTCNNCandidate] {
        let all = levels.flatMap { $0 }
        let sorted = NonMaxSuppression.descendingOrder(all.map(\.score)).map { all[$0] }
        let kept = NonMaxSuppression.keep(sorted.map(NonMaxSuppression.corners),
                                          threshold: MTCNNOptions.nmsPNetAcrossScales, method: .union)
        return kept.map { sorted[$0].squared() }
    }
}
