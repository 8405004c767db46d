import Common
import Media
import XCTest
@testable import FaceEngine

/// The pyramid resampling (TensorFlow's area resize) and the patch cutting (TensorFlow's
/// crop_and_resize), checked against straightforward double-precision formulas.
final class MTCNNResamplingTests: XCTestCase {
    static func noiseImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in pixels.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            pixels[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return RGBImage(width: width, height: height, pixels: pixels) ?? RGBImage(width: width, height: height)
    }

    static let lut = (0..<256).map { (Float($0) - 127.5) / 128 }

    /// Area average: each output pixel's footprint [i*s, (i+1)*s) weighted by its exact overlap
    /// with every source pixel (edge footprints clamp to the last pixel, as TensorFlow's does).
    static func naiveArea(_ img: RGBImage, width: Int, height: Int) -> [Double] {
        let sx = Double(img.width) / Double(width), sy = Double(img.height) / Double(height)
        var out = [Double](repeating: 0, count: 3 * width * height)
        for y in 0..<height {
            for x in 0..<width {
                var sum = [0.0, 0.0, 0.0]
                let y0 = Double(y) * sy, y1 = Double(y + 1) * sy
                let x0 = Double(x) * sx, x1 = Double(x + 1) * sx
                var iy = Int(y0.rounded(.down))
                while Double(iy) < y1 {
                    let wy = min(Double(iy + 1), y1) - max(Double(iy), y0)
                    var ix = Int(x0.rounded(.down))
                    while Double(ix) < x1 {
                        let wx = min(Double(ix + 1), x1) - max(Double(ix), x0)
                        let p = img.pixel(x: min(ix, img.width - 1), y: min(iy, img.height - 1))
                        sum[0] += wx * wy * Double(lut[Int(p.0)])
                        sum[1] += wx * wy * Double(lut[Int(p.1)])
                        sum[2] += wx * wy * Double(lut[Int(p.2)])
                        ix += 1
                    }
                    iy += 1
                }
                for c in 0..<3 { out[c * width * height + y * width + x] = sum[c] / (sx * sy) }
            }
        }
        return out
    }

    func resize(_ img: RGBImage, width: Int, height: Int, rows: Range<Int>? = nil,
                lut: [Float] = MTCNNResamplingTests.lut) -> [Float] {
        let r = AreaResizer(sourceWidth: img.width, sourceHeight: img.height, width: width, height: height)
        let rows = rows ?? 0..<height
        var out = [Float](repeating: .nan, count: 3 * width * rows.count)
        lut.withUnsafeBufferPointer { l in
            out.withUnsafeMutableBufferPointer { o in
                r.resize(img, lut: l.baseAddress!, rows: rows, into: o.baseAddress!, planeStride: width * rows.count)
            }
        }
        return out
    }

    func testAreaResizeMatchesExactAreaAverage() {
        let img = MTCNNResamplingTests.noiseImage(width: 97, height: 61, seed: 1)
        for (w, h) in [(58, 36), (41, 25), (13, 11), (97, 61), (120, 70), (1, 1)] {
            let ours = resize(img, width: w, height: h)
            let naive = MTCNNResamplingTests.naiveArea(img, width: w, height: h)
            for i in ours.indices {
                XCTAssertEqual(Double(ours[i]), naive[i], accuracy: 2e-5, "\(w)x\(h) element \(i)")
            }
        }
    }

    func testAreaResizeOfConstantImageIsConstant() {
        let img = RGBImage(width: 50, height: 30, pixels: [UInt8](repeating: 200, count: 50 * 30 * 3))!
        let v = MTCNNResamplingTests.lut[200]
        for x in resize(img, width: 35, height: 21) { XCTAssertEqual(x, v, accuracy: 1e-5) }
    }

    /// TensorFlow's `ResizeArea` loop as written there (float32, per output pixel: for each
    /// source row, the row's weighted column sum times the row weight, then times the normaliser).
    static func tensorFlowArea(_ img: RGBImage, width: Int, height: Int, lut: [Float] = lut) -> [Float] {
        let sx = Float(img.width) / Float(width), sy = Float(img.height) / Float(height)
        let norm = Float(1.0 / Double(sy * sx))
        var out = [Float](repeating: 0, count: 3 * width * height)
        for y in 0..<height {
            let ys = AreaResizer.span(y, scale: sy)
            for x in 0..<width {
                let xs = AreaResizer.span(x, scale: sx)
                for c in 0..<3 {
                    var sum: Float = 0
                    for i in ys.start..<ys.end {
                        let wy = AreaResizer.weight(i, Float(y) * sy, Float(y + 1) * sy, sy)
                        let py = min(img.height - 1, max(0, i))
                        var rowSum: Float = 0
                        for j in xs.start..<xs.end {
                            let wx = AreaResizer.weight(j, Float(x) * sx, Float(x + 1) * sx, sx)
                            let p = img.pixel(x: min(img.width - 1, max(0, j)), y: py)
                            let v = c == 0 ? p.0 : c == 1 ? p.1 : p.2
                            let f = lut[Int(v)]
                            rowSum = j == xs.start ? f * wx : (j == xs.end - 1 ? rowSum + f * wx : rowSum + f)
                        }
                        sum = i == ys.start ? rowSum * wy : sum + rowSum * wy
                    }
                    out[c * width * height + y * width + x] = sum * norm
                }
            }
        }
        return out
    }

    /// The vectorised resize rounds exactly as TensorFlow's scalar loop does: equal bits.
    func testAreaResizeIsBitIdenticalToTensorFlowsLoop() {
        let img = MTCNNResamplingTests.noiseImage(width: 213, height: 121, seed: 5)
        for (w, h) in [(127, 72), (90, 51), (64, 36), (45, 25), (31, 18), (9, 5), (5, 3), (4, 2), (213, 121), (300, 170),
                       (7, 4), (11, 6), (13, 7), (3, 2), (1, 1)] {
            XCTAssertEqual(resize(img, width: w, height: h), MTCNNResamplingTests.tensorFlowArea(img, width: w, height: h),
                           "\(w)x\(h)")
        }
    }

    /// A LUT that is not affine takes the looked-up path, equally bit-identical.
    func testAreaResizeWithAnyLUTIsBitIdenticalToTensorFlowsLoop() {
        let img = MTCNNResamplingTests.noiseImage(width: 101, height: 57, seed: 6)
        let squares = (0..<256).map { Float($0 * $0) / 255 - 0.3 }
        for (w, h) in [(70, 40), (33, 19), (101, 57), (150, 80)] {
            XCTAssertEqual(resize(img, width: w, height: h, lut: squares),
                           MTCNNResamplingTests.tensorFlowArea(img, width: w, height: h, lut: squares), "\(w)x\(h)")
        }
    }

    /// Where float rounding makes the last span reach one cell past the row (TensorFlow clamps it
    /// to the last pixel), the resize is still bit-identical to TensorFlow's loop.
    func testAreaResizeOfSpansPastTheRowIsBitIdenticalToTensorFlowsLoop() throws {
        let pairs = (100..<400).flatMap { sw in (9..<sw).map { (sw, $0) } }
        let past = pairs.filter { sw, w in AreaResizer.span(w - 1, scale: Float(sw) / Float(w)).end > sw }
        XCTAssertGreaterThan(past.count, 0, "some sizes reach past the row")
        for (sw, w) in past.prefix(6) {
            let img = MTCNNResamplingTests.noiseImage(width: sw, height: 13, seed: UInt64(sw))
            XCTAssertEqual(resize(img, width: w, height: 7), MTCNNResamplingTests.tensorFlowArea(img, width: w, height: 7),
                           "\(sw) -> \(w)")
        }
    }

    /// The sweep that resizes every pyramid level in one pass over the image hands on each band
    /// with `AreaResizer.resize`'s bits, every band of every level once and in order: overlapping
    /// bands, a level that upsamples (min face 9), and sizes whose last span reaches past the row.
    func testPyramidSweepBandsAreBitIdenticalToResizingEachBand() {
        for (w, h, minFace, budget) in [(255, 181, 20, 3 * 64 * 40), (311, 181, 9, 3 * 400 * 30), (333, 97, 12, 1 << 19)] {
            let img = MTCNNResamplingTests.noiseImage(width: w, height: h, seed: UInt64(w + minFace))
            var levels = MTCNNPyramid.levels(width: w, height: h, minFaceSize: minFace, scaleFactor: 0.709)
            if let past = (9..<w).first(where: { AreaResizer.span($0 - 1, scale: Float(w) / Float($0)).end > w }) {
                levels.append(MTCNNPyramid.Level(scale: 1, width: past, height: 40))
            }
            let sweep = PyramidSweep(levels: levels.map { level in
                PyramidSweep.Level(resizer: AreaResizer(sourceWidth: w, sourceHeight: h, width: level.width, height: level.height),
                                   bands: ProposalStage.bands(level, inputBudget: budget).map(\.rows))
            })
            XCTAssertTrue(sweep.levels.contains { $0.resizer.overhang > 0 }, "\(w): some level's last span reaches past the row")
            XCTAssertTrue(sweep.levels.contains { $0.bands.count > 2 } || budget == 1 << 19, "some level has overlapping bands")
            XCTAssertTrue(sweep.levels.contains { $0.resizer.yScale < 1 } || minFace >= 12, "min face \(minFace) upsamples")
            var scratch = [Float](repeating: .nan, count: sweep.scratchFloats)
            var seen = [[Int]](repeating: [], count: levels.count)
            MTCNNResamplingTests.lut.withUnsafeBufferPointer { lut in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    sweep.run(img, lut: lut.baseAddress!, scratch: scratch.baseAddress!) { l, b, planes in
                        seen[l].append(b)
                        let level = sweep.levels[l], rows = level.bands[b]
                        let count = 3 * rows.count * level.resizer.width
                        let expected = self.resize(img, width: level.resizer.width, height: level.resizer.height, rows: rows)
                        XCTAssertEqual(Array(UnsafeBufferPointer(start: planes, count: count)), expected,
                                       "\(w)x\(h) min face \(minFace): level \(l) band \(b)")
                    }
                }
            }
            XCTAssertEqual(seen, sweep.levels.map { Array($0.bands.indices) })
        }
    }

    func testBandsEqualOnePass() {
        let img = MTCNNResamplingTests.noiseImage(width: 80, height: 64, seed: 2)
        let whole = resize(img, width: 56, height: 45)
        let top = resize(img, width: 56, height: 45, rows: 0..<20)
        let bottom = resize(img, width: 56, height: 45, rows: 20..<45)
        for c in 0..<3 {
            let plane = Array(whole[(c * 56 * 45)..<((c + 1) * 56 * 45)])
            let joined = Array(top[(c * 56 * 20)..<((c + 1) * 56 * 20)]) + Array(bottom[(c * 56 * 25)..<((c + 1) * 56 * 25)])
            XCTAssertEqual(plane, joined, "channel \(c)")
        }
    }

    func testDownscaledCopyKeepsMeanColour() {
        let img = MTCNNResamplingTests.noiseImage(width: 300, height: 200, seed: 3)
        let small = AreaResizer(sourceWidth: 300, sourceHeight: 200, width: 150, height: 100).resizedImage(img)
        XCTAssertEqual(small.width, 150)
        XCTAssertEqual(small.height, 100)
        let mean = { (i: RGBImage) in Double(i.pixels.reduce(0) { $0 + Int($1) }) / Double(i.pixels.count) }
        XCTAssertEqual(mean(small), mean(img), accuracy: 0.6)
    }

    /// The downscaled copy is made in bands of rows; any band height gives the one-pass pixels.
    func testDownscaledCopyInBandsEqualsOnePass() {
        let img = MTCNNResamplingTests.noiseImage(width: 301, height: 203, seed: 4)
        let resizer = AreaResizer(sourceWidth: 301, sourceHeight: 203, width: 130, height: 88)
        let whole = resizer.resizedImage(img, bandRows: 88)
        for band in [1, 7, 64] {
            XCTAssertEqual(resizer.resizedImage(img, bandRows: band).pixels, whole.pixels, "bands of \(band) rows")
        }
    }

    /// TensorFlow's crop_and_resize mapping in double precision.
    static func naivePatch(_ img: RGBImage, box: (Double, Double, Double, Double), size: Int) -> [Double] {
        let (x1, y1, x2, y2) = box
        let h = Double(img.height), w = Double(img.width)
        var out = [Double](repeating: 0, count: 3 * size * size)
        for y in 0..<size {
            let iy = y1 / h * (h - 1) + Double(y) * (y2 - y1) / h * (h - 1) / Double(size - 1)
            for x in 0..<size {
                let ix = x1 / w * (w - 1) + Double(x) * (x2 - x1) / w * (w - 1) / Double(size - 1)
                guard iy >= 0, iy <= h - 1, ix >= 0, ix <= w - 1 else { continue }
                let t = Int(iy.rounded(.down)), b = Int(iy.rounded(.up))
                let l = Int(ix.rounded(.down)), r = Int(ix.rounded(.up))
                let fy = iy - Double(t), fx = ix - Double(l)
                for c in 0..<3 {
                    func v(_ px: Int, _ py: Int) -> Double {
                        let p = img.pixel(x: px, y: py)
                        return Double(lut[Int([p.0, p.1, p.2][c])])
                    }
                    let top = v(l, t) + (v(r, t) - v(l, t)) * fx
                    let bottom = v(l, b) + (v(r, b) - v(l, b)) * fx
                    out[c * size * size + y * size + x] = top + (bottom - top) * fy
                }
            }
        }
        return out
    }

    func testPatchesMatchBilinearCropAndResize() {
        let img = MTCNNResamplingTests.noiseImage(width: 90, height: 70, seed: 4)
        let boxes: [(Double, Double, Double, Double)] = [
            (10.3, 5.7, 40.1, 35.5),     // inside
            (-8.5, -3.25, 20.0, 25.25),  // over the top-left corner: zeros outside
            (70.0, 50.0, 110.0, 90.0),   // over the bottom-right corner
            (0, 0, 89, 69),              // the whole image
        ]
        for box in boxes {
            for size in [24, 48] {
                var out = [Float](repeating: .nan, count: 3 * size * size)
                MTCNNResamplingTests.lut.withUnsafeBufferPointer { l in
                    out.withUnsafeMutableBufferPointer { o in
                        PatchSampler.sample(img, lut: l.baseAddress!, x1: box.0, y1: box.1, x2: box.2, y2: box.3,
                                            size: size, into: o.baseAddress!, planeStride: size * size)
                    }
                }
                let naive = MTCNNResamplingTests.naivePatch(img, box: box, size: size)
                for i in out.indices {
                    XCTAssertEqual(Double(out[i]), naive[i], accuracy: 1e-3, "box \(box) size \(size) element \(i)")
                }
            }
        }
    }
}
