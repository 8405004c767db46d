import Common
import FaceEngine
import Foundation
import Media
import TestSupport
import Watchlist
import XCTest

/// A real photo stored as phones store it, in each of the eight EXIF orientations: the engine finds
/// the face where it is in the upright picture and verifies it as the same person as the original.
final class PhotoOrientationTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-orientation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testEveryOrientationFindsAndVerifiesTheSamePerson() throws {
        let source = try ImageFileDetectionTests.photo("face_recognition/obama.jpg")
        let analyzer: FaceAnalyzer
        do { analyzer = try FaceAnalyzer() } catch {
            throw XCTSkip("!!! face models unavailable (\(error)); run scripts/models/fetch && scripts/models/convert: SKIPPED")
        }
        let dir = try temporaryDirectory()
        // The largest face, as enrolment takes it (the detector also reports a small second one).
        let original = Enroller.chooseFaces(try analyzer.analyze(try ImageDecoder.load(path: source)), allFaces: false)
        let originalBox = try XCTUnwrap(original.first, "obama.jpg shows a face").detection.box
        let verifier = try Verifier()
        for orientation in 1...8 {
            let path = dir.appendingPathComponent("obama-o\(orientation).jpg").path
            try OrientedJPEG.write(source, orientation: orientation, to: path)
            let faces = Enroller.chooseFaces(try analyzer.analyze(try ImageDecoder.load(path: path)), allFaces: false)
            guard let face = faces.first else {
                XCTFail("orientation \(orientation): no face found")
                continue
            }
            XCTAssertGreaterThan(face.detection.box.iou(originalBox), 0.9,
                                 "orientation \(orientation): \(face.detection.box) vs \(originalBox)")
            let verification = try verifier.verify(original, faces, seconds: 0)
            XCTAssertTrue(verification.verified, "orientation \(orientation): \(verification.text)")
            XCTAssertLessThan(verification.distance, 0.2, "orientation \(orientation): \(verification.text)")
        }
    }

    /// `facejob detect` decodes a big photo scaled down; a portrait phone photo is reported in its
    /// upright full-size pixels, where the original has its face.
    func testDetectionOfAScaledDownPortraitPhotoIsInUprightPixels() throws {
        let source = try ImageFileDetectionTests.photo("face_recognition/obama.jpg")
        let detector = try ImageFileDetectionTests.detector()
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("portrait.jpg").path
        try OrientedJPEG.write(source, orientation: 6, to: path)
        let original = try detector.detect(imageAt: source)
        let result = try detector.detect(imageAt: path, options: MTCNNOptions(maxSide: 600))
        XCTAssertEqual([result.width, result.height], [original.width, original.height])
        XCTAssertEqual([result.detectedWidth, result.detectedHeight], [480, 600])
        let box = try XCTUnwrap(result.faces.first).box, want = try XCTUnwrap(original.faces.first).box
        XCTAssertGreaterThan(box.iou(want), 0.85, "\(box) vs \(want)")
    }
}
