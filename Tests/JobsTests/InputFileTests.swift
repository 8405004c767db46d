import Foundation
import XCTest
@testable import Jobs

final class InputFileTests: XCTestCase {
    /// The real clip's evidence hash must equal what coreutils' `sha256sum` says.
    func testFingerprintOfRealFootageMatchesSha256sum() throws {
        let data = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"] ?? ManifestFixtures.repoRoot.path + "/../shared/data"
        let clip = URL(fileURLWithPath: data + "/video/short_hamilton_clip.mp4").standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: clip) else {
            throw XCTSkip("!!! test data missing at \(data): real-footage fingerprint test SKIPPED")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", clip]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = String(text.prefix(64))
        let f = try InputFile.fingerprint(ResolvedInput(path: clip, specIndex: 0, camera: nil, recordedAt: nil))
        XCTAssertEqual(f.sha256, expected)
        let attributes = try FileManager.default.attributesOfItem(atPath: clip)
        XCTAssertEqual(f.sizeBytes, (attributes[.size] as? NSNumber)?.int64Value)
    }

    func testMissingFileIsAClearError() {
        XCTAssertThrowsError(try InputFile.fingerprint(ResolvedInput(path: "/nonexistent.mp4", specIndex: 0, camera: nil, recordedAt: nil))) {
            XCTAssertTrue("\($0)".contains("/nonexistent.mp4"))
        }
    }
}
