import Foundation
import Media
import XCTest
@testable import FaceEngine

/// The detector on real photos and awkward inputs: no face, not an image, grayscale, RGBA, huge
/// images, banded P-Net, several threads sharing one detector.
final class MTCNNDetectorTests: XCTestCase {
    func photo(_ file: String) throws -> String {
        try EngineFixtures.dataRoot() + "/faces/" + file
    }

    func testAnImageWithoutFacesGivesAnEmptyResult() throws {
        let detector = try MTCNNFixtures.detector()
        var image = RGBImage(width: 320, height: 240)
        for i in image.pixels.indices { image.pixels[i] = UInt8(truncatingIfNeeded: (i / 3) % 320 / 2 + 40) }
        XCTAssertEqual(try detector.detect(image), [])
        XCTAssertEqual(try detector.detect(RGBImage(width: 5, height: 5)), [], "smaller than one P-Net window")
    }

    func testNotAnImageIsAClearError() throws {
        let detector = try MTCNNFixtures.detector()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-mtcnn-not-an-image.jpg").path
        try Data("this is a text file, not a JPEG\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try detector.detect(imageAt: path)) { error in
            guard case MediaError.notDecodable(let p, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(p, path)
        }
        XCTAssertThrowsError(try detector.detect(imageAt: path + ".missing")) { error in
            XCTAssertEqual(error as? MediaError, .fileNotFound(path: path + ".missing"))
        }
    }

    func testBadOptionsAreRejected() throws {
        let detector = try MTCNNFixtures.detector()
        let image = RGBImage(width: 64, height: 64)
        for bad in [MTCNNOptions(minFaceSize: 0), MTCNNOptions(scaleFactor: 1), MTCNNOptions(thresholds: [0.6, 0.7]),
                    MTCNNOptions(thresholds: [0.6, 0.7, 1.5]), MTCNNOptions(maxSide: 10)] {
            XCTAssertThrowsError(try detector.detect(image, options: bad)) { error in
                guard case MTCNNError.invalidOption = error else { return XCTFail("unexpected \(error)") }
                XCTAssertEqual((error as? MTCNNError)?.exitStatus, .usage)
            }
        }
    }

    func testGrayscaleAndRGBAFilesAreDetected() throws {
        let detector = try MTCNNFixtures.detector()
        let rgba = try detector.detect(imageAt: try photo("face_recognition/32bit.png"))
        XCTAssertEqual(rgba.faces.count, 1, "32bit.png is an RGBA PNG with one face")
        let gray = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-mtcnn-gray.png").path
        defer { try? FileManager.default.removeItem(atPath: gray) }
        try EngineFixtures.run(["ffmpeg", "-v", "error", "-y", "-i", try photo("face_recognition/obama.jpg"),
                               "-pix_fmt", "gray", "-frames:v", "1", gray])
        let faces = try detector.detect(imageAt: gray).faces
        XCTAssertEqual(faces.count, 1)
        let colour = try detector.detect(imageAt: try photo("face_recognition/obama.jpg")).faces
        XCTAssertGreaterThan(faces.first.flatMap { g in colour.first.map { g.box.iou($0.box) } } ?? 0, 0.8)
    }

    func testMaxSideDetectsOnASmallerCopyAndMapsBack() throws {
        let detector = try MTCNNFixtures.detector()
        let image = try ImageDecoder.load(path: try photo("face_recognition/two_people.jpg"))
        let full = try detector.detect(image)
        let small = try detector.detect(image, options: MTCNNOptions(maxSide: 563))
        XCTAssertEqual(full.count, 2)
        XCTAssertEqual(small.count, full.count)
        for f in full {
            let best = small.map { $0.box.iou(f.box) }.max() ?? 0
            XCTAssertGreaterThan(best, 0.75, "a face found at full size is found at half size, in full-size pixels")
        }
    }

    /// A 12000x12000 JPEG (a photo pasted onto a flat canvas) is decoded straight to at most
    /// max-side pixels, detected there, and reported in the file's own pixels.
    func testHugeImageRunsOnADownscaledCopy() throws {
        let detector = try MTCNNFixtures.detector()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-mtcnn-huge.jpg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // obama.jpg is 910x1137; scaled to 2400 wide it covers x 4000..6400, y 5000..~8000.
        try EngineFixtures.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=12000x12000",
                               "-i", try photo("face_recognition/obama.jpg"), "-filter_complex",
                               "[1]scale=2400:-1[f];[0][f]overlay=4000:5000", "-frames:v", "1", path])
        let result = try detector.detect(imageAt: path, options: MTCNNOptions(maxSide: 2048))
        XCTAssertEqual([result.width, result.height], [12000, 12000])
        XCTAssertEqual(max(result.detectedWidth, result.detectedHeight), 2048)
        // The reference's face on obama.jpg, scaled by 2400/910 and moved to the paste position.
        let s: Float = 2400.0 / 910.0
        let expected = FaceDetection.Box(x: 4000 + 370.7 * s, y: 5000 + 83.2 * s, width: 244.2 * s, height: 342.4 * s)
        let face = result.faces.first
        XCTAssertGreaterThan(face?.box.iou(expected) ?? 0, 0.8, "\(String(describing: face?.box)) vs \(expected)")
        XCTAssertGreaterThan(face?.score ?? 0, 0.99)
    }

    /// P-Net runs in bands of rows; any band height must give the same proposals.
    func testBandedPNetEqualsOnePass() throws {
        let model = try ModelCatalog().load(ModelCatalog.mtcnn)
        let image = try ImageDecoder.load(path: try photo("face_recognition/two_people.jpg"))
        let lut = (0..<256).map { (Float($0) - 127.5) / 128 }
        var whole = ProposalStage(pnet: try PNet(model))
        whole.bandInputBudget = Int.max / 4
        var banded = whole
        banded.bandInputBudget = 3 * 800 * 40
        let levels = MTCNNPyramid.levels(width: image.width, height: image.height, minFaceSize: 20, scaleFactor: 0.709)
        try lut.withUnsafeBufferPointer { l in
            for level in levels.prefix(3) {
                let a = try whole.proposals(image, lut: l.baseAddress!, level: level, threshold: 0.6)
                let b = try banded.proposals(image, lut: l.baseAddress!, level: level, threshold: 0.6)
                XCTAssertFalse(a.isEmpty)
                XCTAssertEqual(a, b, "level \(level.width)x\(level.height)")
            }
        }
    }

    func testOneDetectorServesSeveralThreads() throws {
        let detector = try MTCNNFixtures.detector()
        let files = ["face_recognition/two_people.jpg", "deepface/selfie-many-people.jpg",
                     "face_recognition/obama_small.jpg", "deepface/img12.jpg"]
        let images = try files.map { try ImageDecoder.load(path: try photo($0)) }
        let sequential = try images.map { try detector.detect($0) }
        let results = UnsafeMutableBufferPointer<[FaceDetection]>.allocate(capacity: images.count)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: images.count) { i in
            results[i] = (try? detector.detect(images[i])) ?? []
        }
        for i in images.indices { XCTAssertEqual(results[i], sequential[i], files[i]) }
    }
}
