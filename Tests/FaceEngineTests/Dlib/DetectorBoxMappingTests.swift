import Foundation
import Media
import XCTest
@testable import FaceEngine

/// Whether mapping MTCNN's boxes to dlib's HOG box convention matters: landmarks and embeddings
/// computed from the reference MTCNN boxes (`mtcnn_reference.json`), mapped and literal, against
/// dlib's own results from its HOG boxes (`dlib_reference.json`) on the same photos.
final class DetectorBoxMappingTests: XCTestCase {
    struct MTCNNGolden: Decodable {
        struct Face: Decodable { let box: [Float] }
        struct Image: Decodable { let file: String; let derive: String?; let faces: [Face] }
        let images: [Image]
    }

    func testMappedBoxesGiveDlibsLandmarksAndEmbeddings() throws {
        let catalog = try EngineFixtures.catalog()
        let predictor = try catalog.shapePredictor(), embedder = try catalog.embedder()
        let root = try EngineFixtures.dataRoot()
        let dlib = try JSONDecoder().decode(DlibGolden.self, from: try EngineFixtures.golden("dlib_reference"))
        let mtcnn = try JSONDecoder().decode(MTCNNGolden.self, from: try EngineFixtures.golden("mtcnn_reference"))
        var mappedErr = [Double](), literalErr = [Double](), mappedDist = [Float](), literalDist = [Float]()
        for image in dlib.images {
            guard let boxes = mtcnn.images.first(where: { $0.file == image.file && $0.derive == image.derive })?.faces else { continue }
            let pixels = try EngineFixtures.image(root: root, file: image.file, derive: image.derive, referencePixels: true)
            for face in image.faces where face.detector == "hog" {
                let hog = FaceRect(left: face.rect[0], top: face.rect[1], right: face.rect[2], bottom: face.rect[3])
                // The MTCNN face overlapping this HOG face most.
                let candidates = boxes.map { FaceDetection.Box(x: $0.box[0], y: $0.box[1], width: $0.box[2], height: $0.box[3]) }
                let hogBox = FaceDetection.Box(x: Float(hog.left), y: Float(hog.top), width: Float(hog.width), height: Float(hog.height))
                guard let box = candidates.max(by: { $0.iou(hogBox) < $1.iou(hogBox) }), box.iou(hogBox) > 0.3 else { continue }
                let want = face.landmarks5.map { PixelPoint(x: $0[0], y: $0[1]) }
                for (rect, mapped) in [(FaceAnalyzer.dlibRect(for: box), true), (FaceAnalyzer.literalRect(for: box), false)] {
                    let got = predictor.landmarks(in: pixels, rect: rect)
                    let err = zip(got, want).map { hypot(Double($0.x - $1.x), Double($0.y - $1.y)) }.reduce(0, +) / 5 / Double(hog.width)
                    let e = embedder.embed([FaceChip.extract(from: pixels, details: ChipDetails.face(landmarks: got))])[0]
                    let d = zip(e, face.embedding).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                    if mapped { mappedErr.append(err); mappedDist.append(d) } else { literalErr.append(err); literalDist.append(d) }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(mappedErr.count, 10, "enough faces found by both detectors")
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(max(v.count, 1)) }
        let meanF = { (v: [Float]) in Double(v.reduce(0, +)) / Double(max(v.count, 1)) }
        print("box mapping over \(mappedErr.count) faces: landmark error / box width: mapped \(mean(mappedErr)) "
              + "(max \(mappedErr.max() ?? 0)), literal \(mean(literalErr)) (max \(literalErr.max() ?? 0)); "
              + "embedding distance to dlib's: mapped \(meanF(mappedDist)) (max \(mappedDist.max() ?? 0)), "
              + "literal \(meanF(literalDist)) (max \(literalDist.max() ?? 0))")
        XCTAssertLessThan(mean(mappedErr), mean(literalErr), "the mapping brings landmarks closer to dlib's")
        XCTAssertLessThan(mappedDist.max() ?? 1, 0.2, "mapped boxes keep every embedding near dlib's")
    }
}
