import Common
import Foundation
import Media
import XCTest
@testable import FaceEngine

/// The whole chain from a decoded photo: detection, landmarks, chip, embedding.
final class FaceAnalyzerTests: XCTestCase {
    private func analyzer() throws -> FaceAnalyzer {
        let catalog = try EngineFixtures.catalog()
        guard FileManager.default.fileExists(atPath: catalog.path(of: ModelCatalog.mtcnn)) else {
            throw XCTSkip("!!! SKIPPED: \(catalog.path(of: ModelCatalog.mtcnn)) is missing (run scripts/models/convert)")
        }
        return try FaceAnalyzer(catalog: catalog)
    }

    /// Every face dlib's HOG detector found in the golden photos is also found by the chain, with
    /// an embedding close to dlib's (same person by a wide margin).
    func testEmbeddingsOfDetectedFacesAreCloseToDlibs() throws {
        let analyzer = try analyzer()
        let root = try EngineFixtures.dataRoot()
        let golden = try JSONDecoder().decode(DlibGolden.self, from: try EngineFixtures.golden("dlib_reference"))
        var worst: Float = 0, matched = 0
        for image in golden.images where image.derive == nil {
            let pixels = try EngineFixtures.image(root: root, file: image.file, derive: nil)
            let faces = try analyzer.analyze(pixels)
            for face in image.faces where face.detector == "hog" {
                let d = faces.map { f in zip(f.embedding, face.embedding).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }.min()
                guard let d else { XCTFail("\(image.file): no face found near \(face.rect)"); continue }
                // Partial faces at the border are the ones MTCNN may miss or box differently.
                if face.rect[0] >= 0 { XCTAssertLessThan(d, 0.2, "\(image.file) \(face.rect)") }
                worst = max(worst, d)
                matched += 1
            }
        }
        XCTAssertGreaterThan(matched, 15)
        print("analyzer: \(matched) HOG faces, worst distance of the closest detected face to dlib's embedding \(worst)")
    }

    func testBlankImageHasNoFaces() throws {
        let analyzer = try analyzer()
        let gray = RGBImage(width: 320, height: 240, pixels: [UInt8](repeating: 128, count: 320 * 240 * 3))
        XCTAssertEqual(try gray.map { try analyzer.analyze($0) }?.count, 0)
    }

    /// Chips embedded on several workers give the same descriptors as one batch on one thread.
    func testParallelEmbeddingMatchesSerial() throws {
        let embedder = try EngineFixtures.catalog().embedder()
        var chips = [RGBImage]()
        for k in 0..<7 {
            var pixels = [UInt8](repeating: 0, count: 67500)
            for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: i * (k + 3) + k * 17) }
            if let chip = RGBImage(width: 150, height: 150, pixels: pixels) { chips.append(chip) }
        }
        let serial = embedder.embed(chips)
        let parallel = ParallelEmbedder(embedder: embedder, workers: 3, batchSize: 2).embed(chips)
        XCTAssertEqual(parallel.count, chips.count)
        for (a, b) in zip(serial, parallel) {
            XCTAssertEqual(a.count, 128)
            for i in a.indices { XCTAssertEqual(a[i], b[i], accuracy: 1e-5) }
        }
    }
}
