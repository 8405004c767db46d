import Common
import FaceEngine
import Foundation
import Media
import TestSupport
import Watchlist
import XCTest

/// Detection on image files: decoded at most max-side pixels on their longer side, detected, and
/// reported in the file's own pixels; files that are not images are clear errors.
final class ImageFileDetectionTests: XCTestCase {
    static func photo(_ file: String) throws -> String {
        let env = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        let root = env ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
        guard FileManager.default.fileExists(atPath: root + "/faces") else {
            throw XCTSkip("!!! SKIPPED: real test data \(root) is missing (set FACEJOB_TEST_DATA)")
        }
        return root + "/faces/" + file
    }

    static func detector() throws -> MTCNNDetector {
        let catalog = ModelCatalog()
        guard FileManager.default.fileExists(atPath: catalog.path(of: ModelCatalog.mtcnn)) else {
            throw XCTSkip("!!! SKIPPED: the MTCNN model is missing (run scripts/models/fetch && scripts/models/convert)")
        }
        return try catalog.mtcnnDetector()
    }

    static func run(_ args: [String]) throws {
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), args)
        XCTAssertEqual(result.status, 0, "\(args.joined(separator: " ")): \(result.stderr)")
    }

    func testNotAnImageIsAClearError() throws {
        let detector = try Self.detector()
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

    func testGrayscaleAndRGBAFilesAreDetected() throws {
        let detector = try Self.detector()
        let rgba = try detector.detect(imageAt: try Self.photo("face_recognition/32bit.png"))
        XCTAssertEqual(rgba.faces.count, 1, "32bit.png is an RGBA PNG with one face")
        let gray = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-mtcnn-gray.png").path
        defer { try? FileManager.default.removeItem(atPath: gray) }
        try Self.run(["ffmpeg", "-v", "error", "-y", "-i", try Self.photo("face_recognition/obama.jpg"),
                               "-pix_fmt", "gray", "-frames:v", "1", gray])
        let faces = try detector.detect(imageAt: gray).faces
        XCTAssertEqual(faces.count, 1)
        let colour = try detector.detect(imageAt: try Self.photo("face_recognition/obama.jpg")).faces
        XCTAssertGreaterThan(faces.first.flatMap { g in colour.first.map { g.box.iou($0.box) } } ?? 0, 0.8)
    }

    /// A 12000x12000 JPEG (a photo pasted onto a flat canvas) is decoded straight to at most
    /// max-side pixels, detected there, and reported in the file's own pixels.
    func testHugeImageRunsOnADownscaledCopy() throws {
        let detector = try Self.detector()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-mtcnn-huge.jpg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // obama.jpg is 910x1137; scaled to 2400 wide it covers x 4000..6400, y 5000..~8000.
        try Self.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=12000x12000",
                               "-i", try Self.photo("face_recognition/obama.jpg"), "-filter_complex",
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
}
