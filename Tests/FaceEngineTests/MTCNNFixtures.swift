import Foundation
import Media
import XCTest
@testable import FaceEngine

/// Real inputs for the MTCNN tests: the converted model, the shared photos (derived variants made
/// with the ffmpeg CLI as the golden generator made them) and the golden file.
enum MTCNNFixtures {
    /// The detector from the converted model, or a loud skip naming the command that creates it.
    static func detector() throws -> MTCNNDetector {
        let catalog = ModelCatalog()
        let path = catalog.path(of: ModelCatalog.mtcnn)
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("!!! SKIPPED: model \(path) is missing (run scripts/models/fetch && scripts/models/convert)")
        }
        return try catalog.mtcnnDetector()
    }

    /// The shared test data root, or a loud skip when absent.
    static func dataRoot() throws -> String {
        let env = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        let root = env ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
        guard FileManager.default.fileExists(atPath: root + "/faces") else {
            throw XCTSkip("!!! SKIPPED: real test data \(root) is missing (set FACEJOB_TEST_DATA)")
        }
        return root
    }

    /// `mtcnn_reference.json`, decoded.
    static func golden() throws -> MTCNNGolden {
        guard let url = Bundle.module.url(forResource: "mtcnn_reference", withExtension: "json", subdirectory: "Golden"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw XCTSkip("!!! SKIPPED: golden file Golden/mtcnn_reference.json is not in the test bundle")
        }
        return try JSONDecoder().decode(MTCNNGolden.self, from: data)
    }

    /// A golden image entry: the file itself, or its `"gray"` variant made with
    /// `ffmpeg -pix_fmt gray` into a PNG first. With `referencePixels`, a JPEG is decoded by
    /// libjpeg-turbo's `djpeg` (islow IDCT, fancy upsampling: the pixels PIL gave the reference)
    /// into a PPM that facejob reads losslessly; otherwise facejob decodes it with FFmpeg.
    static func image(root: String, file: String, derive: String?, referencePixels: Bool = false) throws -> RGBImage {
        let path = root + "/" + file
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-mtcnn-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: tmp + ".png")
            try? FileManager.default.removeItem(atPath: tmp + ".ppm")
        }
        if let derive {
            guard derive == "gray" else { throw MTCNNFixtureFailure("unknown derive \(derive)") }
            try run(["ffmpeg", "-v", "error", "-i", path, "-pix_fmt", "gray", "-frames:v", "1", tmp + ".png"])
            return try ImageDecoder.load(path: tmp + ".png")
        }
        let lower = file.lowercased()
        if referencePixels && (lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg")) {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/djpeg") else {
                throw XCTSkip("!!! SKIPPED: djpeg is missing (apt-get install libjpeg-turbo-progs; scripts/setup does)")
            }
            try run(["djpeg", "-ppm", "-outfile", tmp + ".ppm", path])
            return try ImageDecoder.load(path: tmp + ".ppm")
        }
        return try ImageDecoder.load(path: path)
    }

    /// Runs a command line tool and fails unless it succeeds.
    static func run(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw MTCNNFixtureFailure("\(arguments.joined(separator: " ")) failed") }
    }

    /// Mean of each channel, for telling decoding differences from detection differences.
    static func rgbMean(_ image: RGBImage) -> [Double] {
        var sum = [0.0, 0.0, 0.0]
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = image.pixel(x: x, y: y)
                sum[0] += Double(p.0)
                sum[1] += Double(p.1)
                sum[2] += Double(p.2)
            }
        }
        return sum.map { $0 / Double(image.width * image.height) }
    }
}

/// The golden file's shape (scripts/reference/make_mtcnn_golden.py).
struct MTCNNGolden: Decodable {
    struct Settings: Decodable {
        let min_face_size: Int
        let scale_factor: Double
        let thresholds: [Double]
    }
    struct Face: Decodable {
        let box: [Int]
        let box_xyxy: [Double]
        let confidence: Double
        let keypoints: [String: [Double]]
    }
    struct Image: Decodable {
        let file: String
        let derive: String?
        let width: Int
        let height: Int
        let rgb_mean: [Double]
        let faces: [Face]
    }
    let mtcnn_version: String
    let settings: Settings
    let images: [Image]
}

/// A fixture that could not be prepared.
struct MTCNNFixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
