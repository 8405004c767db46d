import Common
import Foundation
import Media
import XCTest
@testable import FaceEngine

/// Real inputs for the engine tests: the converted models, the shared photos (with derived
/// variants made by the ffmpeg CLI exactly as the golden generators make them) and golden files.
enum EngineFixtures {
    /// The converted models, or a loud skip naming the command that creates them.
    static func catalog() throws -> ModelCatalog {
        let catalog = ModelCatalog()
        for entry in [ModelCatalog.dlibResNet, ModelCatalog.dlibShapePredictor5]
        where !FileManager.default.fileExists(atPath: catalog.path(of: entry)) {
            throw XCTSkip("!!! SKIPPED: model \(catalog.path(of: entry)) is missing "
                          + "(run scripts/models/fetch && scripts/models/convert)")
        }
        return catalog
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

    /// A golden file bundled with the tests.
    static func golden(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Golden"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw XCTSkip("!!! SKIPPED: golden file Golden/\(name).json is not in the test bundle")
        }
        return data
    }

    /// Loads a golden image entry: the file itself, or its derived variant (`"gray"`: converted
    /// with `ffmpeg -pix_fmt gray` to PNG first, as the generator did). With `referencePixels`,
    /// a JPEG is decoded by libjpeg-turbo's `djpeg` (islow IDCT, fancy upsampling: the pixels
    /// PIL gave the reference, bit for bit) into a PPM that facejob then reads losslessly;
    /// otherwise facejob decodes the JPEG itself with FFmpeg.
    static func image(root: String, file: String, derive: String?, referencePixels: Bool = false) throws -> RGBImage {
        let path = root + "/" + file
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-engine-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: tmp + ".png"); try? FileManager.default.removeItem(atPath: tmp + ".ppm") }
        if let derive {
            guard derive == "gray" else { throw FixtureFailure("unknown derive \(derive)") }
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
    static func run(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw FixtureFailure("\(args.joined(separator: " ")) failed") }
    }
}

/// A fixture that could not be prepared.
struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
