import Common
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

    /// P-Net over all levels resized in one sweep (`run`) proposes exactly what it proposes level by
    /// level, whatever the bands (here several per level, overlapping).
    func testSweptPyramidProposesWhatLevelByLevelProposes() throws {
        let model = try ModelCatalog().load(ModelCatalog.mtcnn)
        let image = try ImageDecoder.load(path: try photo("face_recognition/two_people.jpg"))
        let lut = (0..<256).map { (Float($0) - 127.5) / 128 }
        for budget in [1 << 19, 3 * 300 * 40] {
            var stage = ProposalStage(pnet: try PNet(model))
            stage.bandInputBudget = budget
            let levels = MTCNNPyramid.levels(width: image.width, height: image.height, minFaceSize: 20, scaleFactor: 0.709)
            try lut.withUnsafeBufferPointer { l in
                let scratch = MTCNNScratch()
                let swept = try stage.run(image, lut: l.baseAddress!, levels: levels, threshold: 0.6, scratch: scratch)
                let byLevel = stage.merged(try levels.map {
                    try stage.proposals(image, lut: l.baseAddress!, level: $0, threshold: 0.6, scratch: scratch)
                })
                XCTAssertFalse(swept.isEmpty)
                XCTAssertEqual(swept, byLevel, "band budget \(budget)")
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
