import Foundation
import Media
import XCTest
@testable import FaceEngine

/// facejob's MTCNN against the PyPI `mtcnn` 1.0.0 package (TensorFlow CPU) on the golden photos.
///
/// The strict test feeds the reference's own pixels (JPEGs decoded by libjpeg-turbo's `djpeg`,
/// bit for bit what PIL gave the package), so every difference is the detector's: boxes,
/// landmarks and confidences must agree to float rounding. The second test runs on facejob's own
/// FFmpeg decoding, whose pixels may differ slightly from libjpeg's; the MTCNN cascade
/// passes such pixel noise on, so there the bar is the issue's: same face count per image, IoU of
/// at least 0.9 per box, landmarks within 2 % of the face size.
final class MTCNNParityTests: XCTestCase {
    static let keypoints = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"]

    /// How one run compared with the golden file.
    struct Comparison {
        var faces = 0
        var worstIoU: Float = 1
        var belowPoint9 = [String]()
        var worstCorner = 0.0
        var worstLandmark = 0.0
        var worstLandmarkRelative = 0.0
        var worstConfidence = 0.0
        var inexact = [String]()
    }

    func compare(referencePixels: Bool) throws -> Comparison {
        let golden = try MTCNNFixtures.golden()
        let root = try EngineFixtures.dataRoot()
        let detector = try MTCNNFixtures.detector()
        XCTAssertEqual(golden.mtcnn_version, "1.0.0")
        XCTAssertGreaterThanOrEqual(golden.images.count, 12, "the golden file covers at least 12 photos")
        let options = MTCNNOptions(minFaceSize: golden.settings.min_face_size, scaleFactor: golden.settings.scale_factor,
                                   thresholds: golden.settings.thresholds)
        var result = Comparison()
        for entry in golden.images {
            let name = entry.file + (entry.derive.map { " (\($0))" } ?? "")
            let image = try EngineFixtures.image(root: root, file: entry.file, derive: entry.derive,
                                                referencePixels: referencePixels)
            XCTAssertEqual([image.width, image.height], [entry.width, entry.height], name)
            let mean = MTCNNFixtures.rgbMean(image)
            for c in 0..<3 {
                XCTAssertEqual(mean[c], entry.rgb_mean[c], accuracy: referencePixels ? 0.001 : 0.5,
                               "\(name): decoded pixels differ from PIL's")
            }
            let faces = try detector.detect(image, options: options)
            XCTAssertEqual(faces.count, entry.faces.count, "\(name): face count")
            var free = Array(faces.indices)
            for ref in entry.faces {
                let r = ref.box_xyxy
                let refBox = FaceDetection.Box(x: Float(r[0]), y: Float(r[1]),
                                               width: Float(r[2] - r[0]), height: Float(r[3] - r[1]))
                guard let best = free.max(by: { faces[$0].box.iou(refBox) < faces[$1].box.iou(refBox) }) else {
                    XCTFail("\(name): no face left for reference box \(ref.box)")
                    continue
                }
                free.removeAll { $0 == best }
                let face = faces[best]
                let iou = face.box.iou(refBox)
                let corners = [Double(face.box.x), Double(face.box.y), Double(face.box.right), Double(face.box.bottom)]
                let side = Double(max(refBox.width, refBox.height))
                var err = 0.0, worst = 0.0
                for (k, p) in zip(MTCNNParityTests.keypoints, face.landmarks.points) {
                    guard let g = ref.keypoints[k] else { XCTFail("golden lacks \(k)"); continue }
                    let d = hypot(Double(p.x) - g[0], Double(p.y) - g[1])
                    err += d / 5
                    worst = max(worst, d)
                }
                result.faces += 1
                result.worstIoU = min(result.worstIoU, iou)
                if iou < 0.9 { result.belowPoint9.append("\(name) IoU \(iou)") }
                // The golden keeps 6 significant digits; float32 networks add a little more.
                let exact = zip(corners, r).allSatisfy { abs($0 - $1) <= 0.02 } && worst <= 0.02
                    && abs(Double(face.score) - ref.confidence) <= 1e-4
                if !referencePixels || exact {
                    result.worstCorner = max(result.worstCorner, zip(corners, r).map { abs($0 - $1) }.max() ?? 0)
                    result.worstLandmark = max(result.worstLandmark, worst)
                    result.worstLandmarkRelative = max(result.worstLandmarkRelative, err / side)
                    result.worstConfidence = max(result.worstConfidence, abs(Double(face.score) - ref.confidence))
                }
                if referencePixels {
                    if !exact { result.inexact.append("\(name) IoU \(iou)") }
                    XCTAssertGreaterThanOrEqual(iou, 0.95, "\(name): box \(face.box) vs reference \(r)")
                } else {
                    XCTAssertGreaterThanOrEqual(iou, 0.9, "\(name): box \(face.box) vs reference \(r)")
                    XCTAssertLessThanOrEqual(err / side, 0.02, "\(name): mean landmark error \(err) px")
                    XCTAssertEqual(Double(face.score), ref.confidence, accuracy: 0.05, "\(name): confidence")
                }
            }
        }
        return result
    }

    /// On the same pixels every face must match to float rounding, with one exception the package
    /// makes unavoidable: P-Net scores that saturate to exactly 1.0 in float32 tie, and numpy's
    /// SIMD `argsort` orders ties in a data-dependent way that no stable rule reproduces. In the
    /// golden set this changes one image (32bit.png: two level-8 boxes at 1.0, the other one
    /// wins; the final face still has IoU 0.95). More than one such face fails the test.
    func testSamePixelsGiveTheReferenceFacesToFloatRounding() throws {
        let c = try compare(referencePixels: true)
        XCTAssertLessThanOrEqual(c.inexact.count, 1, "faces that differ beyond float rounding: \(c.inexact)")
        print("MTCNN parity on the reference's pixels: \(c.faces) faces, not exact: \(c.inexact); over the others: worst corner "
              + String(format: "%.4f px, worst landmark %.4f px, worst confidence %.2e", c.worstCorner, c.worstLandmark,
                       c.worstConfidence))
    }

    /// On facejob's own decoding (FFmpeg with the libjpeg-exact colour path) every box must keep
    /// IoU >= 0.9 with the reference's (worst 0.901 when written: deepface/img11.jpg).
    func testFacejobDecodingGivesTheReferenceFaces() throws {
        let c = try compare(referencePixels: false)
        XCTAssertEqual(c.belowPoint9, [], "boxes below IoU 0.9")
        print("MTCNN parity on facejob's decoding: \(c.faces) faces, worst IoU \(c.worstIoU) (below 0.9: \(c.belowPoint9)), "
              + String(format: "worst landmark error %.4f of the face side, worst confidence difference %.4f",
                       c.worstLandmarkRelative, c.worstConfidence))
    }
}
