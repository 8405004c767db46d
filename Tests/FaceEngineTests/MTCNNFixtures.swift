import Common
import Foundation
import Media
import XCTest
@testable import FaceEngine

/// What the MTCNN tests need beyond `EngineFixtures` (data root, photos and their derived
/// variants, golden files): the detector and the decoded golden file.
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

    /// `mtcnn_reference.json`, decoded.
    static func golden() throws -> MTCNNGolden {
        try JSONDecoder().decode(MTCNNGolden.self, from: EngineFixtures.golden("mtcnn_reference"))
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
// swift-format-ignore: AlwaysUseLowerCamelCase
// The fields are the JSON document's own keys.
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
