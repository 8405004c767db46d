import Common
import Foundation
import Media
import XCTest
@testable import FaceEngine

/// Landmarks, face chips and embeddings against dlib itself (`Golden/dlib_reference.json`).
/// The strict tests run on the reference's own pixels (JPEGs decoded by libjpeg-turbo's `djpeg`,
/// exactly what PIL gave dlib), so any difference is the engine's. Each stage is also fed the
/// reference's own input (golden rectangle, golden landmarks) so a difference is attributed to the
/// stage that makes it. A last test runs the whole chain on facejob's own FFmpeg decoding, where
/// small decoder differences (chroma upsampling) move the tree-based landmarks a little.
final class DlibParityTests: XCTestCase {
    struct Case {
        let name: String
        let reference: RGBImage
        let facejob: RGBImage
        let golden: DlibGolden.Image
    }

    private static var cached: [Case]?

    private func cases() throws -> [Case] {
        if let c = Self.cached { return c }
        let root = try EngineFixtures.dataRoot()
        let golden = try JSONDecoder().decode(DlibGolden.self, from: try EngineFixtures.golden("dlib_reference"))
        XCTAssertGreaterThanOrEqual(golden.images.count, 12, "the golden file covers at least 12 photos")
        let c = try golden.images.map { g in
            Case(name: g.file + (g.derive.map { " (\($0))" } ?? ""),
                 reference: try EngineFixtures.image(root: root, file: g.file, derive: g.derive, referencePixels: true),
                 facejob: try EngineFixtures.image(root: root, file: g.file, derive: g.derive),
                 golden: g)
        }
        Self.cached = c
        return c
    }

    private func rect(_ r: [Int]) -> FaceRect { FaceRect(left: r[0], top: r[1], right: r[2], bottom: r[3]) }
    private func points(_ p: [[Int]]) -> [PixelPoint] { p.map { PixelPoint(x: $0[0], y: $0[1]) } }
    private func meanError(_ a: [PixelPoint], _ b: [PixelPoint]) -> Double {
        zip(a, b).map { hypot(Double($0.x - $1.x), Double($0.y - $1.y)) }.reduce(0, +) / Double(a.count)
    }

    /// The test's reference pixels are the reference's (else the strict tests below mean nothing),
    /// and facejob's own decoding is close to them.
    func testDecodedImagesMatchTheReferenceMeans() throws {
        for c in try cases() {
            XCTAssertEqual(c.reference.width, c.golden.width, c.name)
            XCTAssertEqual(c.reference.height, c.golden.height, c.name)
            XCTAssertEqual(c.facejob.width, c.golden.width, c.name)
            XCTAssertEqual(c.facejob.height, c.golden.height, c.name)
            let ref = channelMeans(c.reference), own = channelMeans(c.facejob)
            for ch in 0..<3 {
                XCTAssertEqual(ref[ch], c.golden.rgb_mean[ch], accuracy: 0.001, "\(c.name) reference pixels, channel \(ch)")
                XCTAssertEqual(own[ch], c.golden.rgb_mean[ch], accuracy: 0.5, "\(c.name) FFmpeg decoding, channel \(ch)")
            }
        }
    }

    func testLandmarksWithinOnePixelMeanError() throws {
        let predictor = try EngineFixtures.catalog().shapePredictor()
        var worst = 0.0, exact = 0, total = 0
        for c in try cases() {
            for face in c.golden.faces {
                let got = predictor.landmarks(in: c.reference, rect: rect(face.rect))
                let want = points(face.landmarks5)
                let err = meanError(got, want)
                worst = max(worst, err)
                total += 1
                if got == want { exact += 1 }
                XCTAssertLessThanOrEqual(err, 1.0, "\(c.name) \(face.detector) \(face.rect): \(got) vs \(want)")
            }
        }
        XCTAssertGreaterThan(total, 0)
        print("dlib parity: landmarks identical on \(exact)/\(total) faces, worst mean error \(worst) px")
    }

    func testChipsMatchFromTheReferenceLandmarks() throws {
        var worstMean = 0.0, worstThumb = 0.0, total = 0
        for c in try cases() {
            for face in c.golden.faces {
                let details = ChipDetails.face(landmarks: points(face.landmarks5), size: face.chip.size, padding: face.chip.padding)
                let chip = FaceChip.extract(from: c.reference, details: details)
                XCTAssertEqual(chip.width, face.chip.size)
                XCTAssertEqual(chip.height, face.chip.size)
                let s = ChipStatistics(chip)
                let what = "\(c.name) \(face.detector) \(face.rect)"
                // The golden values carry 6 significant digits.
                for ch in 0..<3 {
                    XCTAssertEqual(s.mean[ch], face.chip.mean[ch], accuracy: 0.01, "\(what) chip mean \(ch)")
                    XCTAssertEqual(s.std[ch], face.chip.std[ch], accuracy: 0.01, "\(what) chip std \(ch)")
                    worstMean = max(worstMean, abs(s.mean[ch] - face.chip.mean[ch]))
                }
                let thumb = zip(s.thumb8, face.chip.thumb8).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThanOrEqual(thumb, 0.01, "\(what) 8x8 thumbnail")
                worstThumb = max(worstThumb, thumb)
                total += 1
            }
        }
        XCTAssertGreaterThan(total, 0)
        print("dlib parity: \(total) chips, worst channel-mean difference \(worstMean), worst 8x8 cell difference \(worstThumb)")
    }

    /// The embedding of our chip from the reference landmarks, and of the whole chain from the
    /// reference rectangle, against dlib's descriptor.
    func testEmbeddingsCosineAtLeast0999() throws {
        let catalog = try EngineFixtures.catalog()
        let predictor = try catalog.shapePredictor()
        let embedder = try catalog.embedder()
        var worstCos = 1.0, worstDist: Float = 0, worstChainDist: Float = 0, total = 0
        for c in try cases() {
            let faces = c.golden.faces
            let fromGolden = faces.map { FaceChip.extract(from: c.reference, details: ChipDetails.face(landmarks: points($0.landmarks5))) }
            let fromChain = faces.map {
                FaceChip.extract(from: c.reference,
                                 details: ChipDetails.face(landmarks: predictor.landmarks(in: c.reference, rect: rect($0.rect))))
            }
            let got = embedder.embed(fromGolden + fromChain)
            for (i, face) in faces.enumerated() {
                let what = "\(c.name) \(face.detector) \(face.rect)"
                for (e, chain) in [(got[i], false), (got[faces.count + i], true)] {
                    let cos = cosine(e, face.embedding), d = distance(e, face.embedding)
                    XCTAssertGreaterThanOrEqual(cos, 0.999, "\(what) \(chain ? "whole chain" : "from golden landmarks"): cosine")
                    worstCos = min(worstCos, cos)
                    if chain { worstChainDist = max(worstChainDist, d) } else { worstDist = max(worstDist, d) }
                }
                total += 1
            }
        }
        XCTAssertGreaterThan(total, 0)
        print("dlib parity: \(total) faces, worst cosine \(worstCos), max euclidean distance \(worstDist) "
              + "(golden landmarks) / \(worstChainDist) (whole chain)")
    }

    /// The whole chain on facejob's own decoding (FFmpeg): the decoder's small differences from
    /// libjpeg move landmarks by a pixel or two, which the embedding barely notices.
    func testWholeChainOnFacejobDecoding() throws {
        let catalog = try EngineFixtures.catalog()
        let predictor = try catalog.shapePredictor()
        let embedder = try catalog.embedder()
        var worstCos = 1.0, worstDist: Float = 0, worstLandmarks = 0.0, total = 0
        for c in try cases() {
            let shapes = c.golden.faces.map { predictor.landmarks(in: c.facejob, rect: rect($0.rect)) }
            let got = embedder.embed(shapes.map { FaceChip.extract(from: c.facejob, details: ChipDetails.face(landmarks: $0)) })
            for (i, face) in c.golden.faces.enumerated() {
                let what = "\(c.name) \(face.detector) \(face.rect)"
                let err = meanError(shapes[i], points(face.landmarks5))
                let width = Double(face.rect[2] - face.rect[0] + 1)
                XCTAssertLessThanOrEqual(err, max(1.0, 0.01 * width), "\(what): landmarks more than 1 px and 1% of the box width off")
                let cos = cosine(got[i], face.embedding)
                XCTAssertGreaterThanOrEqual(cos, 0.995, "\(what): cosine")
                worstCos = min(worstCos, cos)
                worstDist = max(worstDist, distance(got[i], face.embedding))
                worstLandmarks = max(worstLandmarks, err)
                total += 1
            }
        }
        XCTAssertGreaterThan(total, 0)
        print("dlib parity on FFmpeg decoding: \(total) faces, worst landmark mean error \(worstLandmarks) px, "
              + "worst cosine \(worstCos), max euclidean distance \(worstDist)")
    }

    private func channelMeans(_ image: RGBImage) -> [Double] {
        var sums = [UInt64](repeating: 0, count: 3)
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<image.height {
                var o = y * image.stride
                for _ in 0..<image.width {
                    sums[0] += UInt64(px[o]); sums[1] += UInt64(px[o + 1]); sums[2] += UInt64(px[o + 2])
                    o += 3
                }
            }
        }
        return sums.map { Double($0) / Double(image.width * image.height) }
    }

    private func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices { ab += Double(a[i] * b[i]); aa += Double(a[i] * a[i]); bb += Double(b[i] * b[i]) }
        return ab / (aa * bb).squareRoot()
    }

    private func distance(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    }
}
